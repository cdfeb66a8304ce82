-- Views and visits per day (Vietnam time, 'YYYY-MM-DD'), written by the counters' batched
-- flush: one row per post and day, never one per hit. `flush_seq` numbers the flushes, so a
-- reader knows which of the counts still in memory its snapshot already holds.

CREATE TABLE post_views_daily (
    post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    day     TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    views   INTEGER NOT NULL CHECK (views >= 0),
    PRIMARY KEY (post_id, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE site_visits_daily (
    day    TEXT    PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    visits INTEGER NOT NULL CHECK (visits >= 0)
) STRICT, WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES ('flush_seq', 0) ON CONFLICT (name) DO NOTHING;
