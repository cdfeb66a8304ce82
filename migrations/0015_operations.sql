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
