-- Officials add and edit documents; posts remember, from each save, the documents they cite.

ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE documents ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- A document's files (the full text, annexes), in order.
CREATE TABLE document_files (
    document_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (document_id, attachment_id)
) STRICT;

-- Every save of a document: its fields as JSON, who, when.
CREATE TABLE document_revisions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    data        TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    username    TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    UNIQUE (document_id, version)
) STRICT;

-- The references to documents a post's lead and body make ("Kế hoạch số 19/KH-UBND"), as
-- recognised when it was saved, and the document each names, once the portal has it. Those
-- without one are the officials' list of documents not yet on the portal.
CREATE TABLE post_references (
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    number_year   INTEGER,
    symbol        TEXT    NOT NULL,
    symbol_folded TEXT    NOT NULL,
    issued_on     TEXT,
    written       TEXT    NOT NULL,
    document_id   INTEGER REFERENCES documents (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX post_references_post ON post_references (post_id);
CREATE INDEX post_references_identity ON post_references (kind, number, symbol_folded);

-- Posts whose references have been recognised (the server does the existing ones at start).
ALTER TABLE posts ADD COLUMN references_scanned INTEGER NOT NULL DEFAULT 0;
