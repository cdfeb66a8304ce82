-- Posts, site settings and counters. STRICT tables; timestamps are UTC text 'YYYY-MM-DD HH:MM:SS'.

CREATE TABLE posts (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 200),
    title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    lead         TEXT    NOT NULL DEFAULT '',
    body_html    TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    published_at TEXT    NOT NULL,
    view_count   INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
) STRICT;

-- The home page lists published posts, newest first.
CREATE INDEX posts_published ON posts (status, published_at DESC, id DESC);

CREATE TRIGGER posts_updated_at AFTER UPDATE OF slug, title, lead, body_html, status, published_at ON posts
BEGIN
    UPDATE posts SET updated_at = strftime('%Y-%m-%d %H:%M:%S', 'now') WHERE id = NEW.id;
END;

-- Site-wide settings shown on every page (commune name, slogan, ...).
CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Site-wide counters ('visits').
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
) STRICT;
