-- Video clips of the sidebar's "Video Clip" widget: YouTube links or files uploaded to the portal.
-- The current clip is the one the widget shows; each clip counts its views like a post.

CREATE TABLE clips (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind        TEXT    NOT NULL CHECK (kind IN ('youtube', 'file')),
    -- kind 'youtube': the 11-character video id; kind 'file': '<sha-256>.<mp4|webm>' under media/.
    source      TEXT    NOT NULL,
    mime        TEXT    NOT NULL DEFAULT '',
    size_bytes  INTEGER NOT NULL DEFAULT 0,
    view_count  INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL
) STRICT;

CREATE TABLE clip_views_daily (
    clip_id INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
    day     TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    views   INTEGER NOT NULL CHECK (views >= 0),
    PRIMARY KEY (clip_id, day)
) STRICT, WITHOUT ROWID;

-- The clip shown; '' for none.
INSERT INTO site_settings (key, value) VALUES ('current_clip', '') ON CONFLICT (key) DO NOTHING;
