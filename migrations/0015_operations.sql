-- Backups: one row per attempt, from the server's schedule or the command line. The statistics
-- page shows admins the last success and any failure since; /healthz reports the last success's age.
CREATE TABLE backup_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    -- 'schedule' (the running server) or 'command' (`server backup`).
    trigger     TEXT    NOT NULL CHECK (trigger IN ('schedule', 'command')),
    -- The archive's file name (no directory), and its size; '' and 0 for a failure.
    archive     TEXT    NOT NULL DEFAULT '',
    bytes       INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    -- Why it failed; '' for a success.
    message     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX backup_runs_recent ON backup_runs (ok, finished_at DESC);

-- The statistics page reads the per-day tables by day over every post or clip; their keys
-- start with the post or clip. Covering indexes by day keep a year's query from scanning all.
CREATE INDEX post_views_daily_by_day ON post_views_daily (day, post_id, views);
CREATE INDEX clip_views_daily_by_day ON clip_views_daily (day, clip_id, views);
