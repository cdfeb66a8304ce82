-- Officials edit posts in place: the publishing workflow, who wrote what, a revision per save.

-- Where a post stands in the workflow. `status` stays the one thing public queries and the
-- search index look at ('published' = citizens see it now); a trigger keeps it following
-- `stage`, so code writes only `stage`.
--   draft      being written
--   review     sent by a writer for an editor to publish
--   scheduled  to be published at `published_at` (UTC), which is in the future
--   published  public
--   trash      deleted; editors can restore it (as a draft)
ALTER TABLE posts ADD COLUMN stage TEXT NOT NULL DEFAULT 'published'
    CHECK (stage IN ('draft', 'review', 'scheduled', 'published', 'trash'));
UPDATE posts SET stage = 'draft' WHERE status = 'draft';

ALTER TABLE posts ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
-- The summary shown to search engines and link previews; empty: the lead is used.
ALTER TABLE posts ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN trashed_at TEXT;

CREATE TRIGGER posts_stage AFTER UPDATE OF stage ON posts
WHEN (NEW.stage = 'published') <> (NEW.status = 'published')
BEGIN
    UPDATE posts SET status = CASE NEW.stage WHEN 'published' THEN 'published' ELSE 'draft' END
    WHERE id = NEW.id;
END;

-- Scheduled posts, found by the timer that publishes them.
CREATE INDEX posts_scheduled ON posts (published_at) WHERE stage = 'scheduled';
-- Officials' lists by stage (drafts, waiting for review, trash), newest change first.
CREATE INDEX posts_stage ON posts (stage, updated_at DESC);

-- Every save of a post is a revision: what it held, who saved it, when. Restoring one saves
-- its content again as a new revision, so history only grows.
CREATE TABLE post_revisions (
    id           INTEGER PRIMARY KEY,
    post_id      INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    slug         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    lead         TEXT    NOT NULL,
    body_html    TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    category_id  INTEGER,
    published_at TEXT    NOT NULL,
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    username     TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    UNIQUE (post_id, version)
) STRICT;

-- What exists today is the first revision of each post.
INSERT INTO post_revisions
    (post_id, version, slug, title, lead, body_html, description, category_id, published_at,
     username, note, created_at)
SELECT id, version, slug, title, lead, body_html, description, category_id, published_at,
       '(nội dung ban đầu)', 'Nội dung ban đầu', created_at
FROM posts;

-- Files attached to posts, stored once under `media/files/<sha256>.<ext>`. The type was
-- decided by the content at upload; width and height are set for images, which also have
-- resized copies (`<sha256>-w480.jpg`, `-w1024.jpg`) when they are wider.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
    filename     TEXT    NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    ext          TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    width        INTEGER,
    height       INTEGER,
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
) STRICT;

-- A post's featured image (an image attachment) and its description for readers who cannot
-- see it; kept in each revision too.
ALTER TABLE posts ADD COLUMN image_id INTEGER REFERENCES attachments (id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN image_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE post_revisions ADD COLUMN image_id INTEGER;
ALTER TABLE post_revisions ADD COLUMN image_alt TEXT NOT NULL DEFAULT '';
