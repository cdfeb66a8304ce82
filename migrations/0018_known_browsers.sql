-- Browsers an official has signed in from before ("device cookies"): a right password from one
-- of them is not refused when the address it comes from is locked out for others' guesses, so a
-- scanner behind the commune's address cannot lock the commune's officials out. Only the
-- SHA-256 of the cookie's token is kept.
CREATE TABLE known_browsers (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX known_browsers_user ON known_browsers (user_id, last_used_at);
