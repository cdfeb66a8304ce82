-- Hỏi đáp: citizens' questions, the officials' answers (each answer is a post of the 'hoi-dap'
-- category, so it is edited, revised, audited, searched and fed like any post), the working
-- calendar the 15-working-day deadline is counted on, and citizens' comments on draft documents.
-- Dates are Vietnam dates 'YYYY-MM-DD'; times are UTC 'YYYY-MM-DD HH:MM:SS'.

-- The fields a question concerns, in the order the form offers them.
CREATE TABLE question_fields (
    id       INTEGER PRIMARY KEY,
    slug     TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 60),
    name     TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    position INTEGER NOT NULL
) STRICT;

INSERT INTO question_fields (slug, name, position) VALUES
    ('dat-dai', 'Đất đai', 1),
    ('ho-tich', 'Hộ tịch – Chứng thực', 2),
    ('chinh-sach-xa-hoi', 'Chính sách xã hội', 3),
    ('xay-dung-giao-thong', 'Xây dựng – Giao thông', 4),
    ('tai-nguyen-moi-truong', 'Tài nguyên – Môi trường', 5),
    ('nong-nghiep', 'Nông nghiệp', 6),
    ('y-te-giao-duc', 'Y tế – Giáo dục', 7),
    ('khac', 'Lĩnh vực khác', 8);

-- Days off besides Saturdays and Sundays (Bộ luật Lao động 2019, Điều 112, and the Government's
-- yearly decision on Tết and the days given in compensation). Admins add the next year's
-- lunar holidays when they are announced.
CREATE TABLE holidays (
    day  TEXT NOT NULL PRIMARY KEY CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
) STRICT;

INSERT INTO holidays (day, name) VALUES
    ('2026-01-01', 'Tết Dương lịch'),
    ('2026-02-14', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-15', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-16', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-17', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-18', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-19', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-20', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-21', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-02-22', 'Tết Nguyên đán Bính Ngọ'),
    ('2026-04-26', 'Giỗ Tổ Hùng Vương'),
    ('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương'),
    ('2026-04-30', 'Ngày Chiến thắng'),
    ('2026-05-01', 'Ngày Quốc tế lao động'),
    ('2026-09-01', 'Quốc khánh'),
    ('2026-09-02', 'Quốc khánh'),
    ('2027-01-01', 'Tết Dương lịch'),
    ('2027-04-30', 'Ngày Chiến thắng'),
    ('2027-05-01', 'Ngày Quốc tế lao động'),
    ('2027-09-02', 'Quốc khánh');

CREATE TABLE questions (
    id             INTEGER PRIMARY KEY,
    -- What the citizen looks the question up with: 8 letters and digits without 0, O, 1, I.
    code           TEXT    NOT NULL UNIQUE CHECK (length(code) = 8),
    received_at    TEXT    NOT NULL,
    received_on    TEXT    NOT NULL,
    due_on         TEXT    NOT NULL,
    name           TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    contact        TEXT    NOT NULL DEFAULT '' CHECK (length(contact) <= 100),
    hamlet         TEXT    NOT NULL CHECK (length(hamlet) BETWEEN 1 AND 100),
    field_id       INTEGER NOT NULL REFERENCES question_fields (id),
    title          TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body           TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    attachment_id  INTEGER REFERENCES attachments (id) ON DELETE SET NULL,
    -- 'received', 'assigned' (to assignee_id), 'answered' (the post holds the answer),
    -- 'declined' (decline_reason says why). Published: the post is published.
    status         TEXT    NOT NULL DEFAULT 'received'
                   CHECK (status IN ('received', 'assigned', 'answered', 'declined')),
    assignee_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    post_id        INTEGER UNIQUE REFERENCES posts (id) ON DELETE SET NULL,
    -- How the published question names who asked ("Chị N.T.H., thôn Đông"), as the official chose.
    public_name    TEXT    NOT NULL DEFAULT '' CHECK (length(public_name) <= 100),
    decline_reason TEXT    NOT NULL DEFAULT '' CHECK (length(decline_reason) <= 1000),
    answered_at    TEXT,
    -- A keyed hash of the sender's address, for the limit per address; never shown.
    sender         TEXT    NOT NULL DEFAULT '',
    updated_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
) STRICT;

CREATE INDEX questions_queue ON questions (status, due_on);
CREATE INDEX questions_by_sender ON questions (sender, received_at);

-- A document open for comments until a Vietnam date (inclusive); NULL: not a draft for comment.
ALTER TABLE documents ADD COLUMN comments_until TEXT;

CREATE TABLE draft_comments (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    received_at TEXT    NOT NULL,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    contact     TEXT    NOT NULL DEFAULT '' CHECK (length(contact) <= 100),
    hamlet      TEXT    NOT NULL CHECK (length(hamlet) BETWEEN 1 AND 100),
    body        TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    sender      TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX draft_comments_by_document ON draft_comments (document_id, id);
CREATE INDEX draft_comments_by_sender ON draft_comments (sender, received_at);

-- E-mails waiting to be sent (when PORTAL_SMTP_URL is set); a sender task empties it, so no
-- request waits on the mail server.
CREATE TABLE mail_outbox (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    -- After a failure, the next attempt waits: 1, 2, 4, … minutes.
    try_after  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    last_error TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, id);

-- The menu's "Hỏi đáp" leads to the questions and answers, where citizens can also ask.
UPDATE menu_items SET href = '/hoi-dap' WHERE href = '/chuyen-muc/hoi-dap';
