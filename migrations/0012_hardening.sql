-- Attachments are addressed by a random token (128 bits), not by their sequential id, and are
-- served to citizens only once something public uses them.

ALTER TABLE attachments ADD COLUMN token TEXT CHECK (token IS NULL OR length(token) = 32);
UPDATE attachments SET token = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX attachments_token ON attachments (token);

-- The attachments a post's body links to or shows, as found at each save.
CREATE TABLE post_attachments (
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, attachment_id)
) STRICT;
CREATE INDEX post_attachments_attachment ON post_attachments (attachment_id);

