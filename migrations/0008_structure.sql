-- How citizens find things: categories (a tree), the main menu, static pages stored as posts,
-- the site owner's contact details, and the search index.

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 200),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    parent_id   INTEGER REFERENCES categories (id) ON DELETE RESTRICT,
    position    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A post belongs to at most one category; 'page' posts (Giới thiệu, Liên hệ) stand outside
-- the news lists. body_text is the body without markup, written with body_html, for search.
ALTER TABLE posts ADD COLUMN category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page'));
ALTER TABLE posts ADD COLUMN body_text TEXT NOT NULL DEFAULT '';

CREATE INDEX posts_category ON posts (category_id, status, published_at DESC, id DESC);

-- The main menu, in order.
CREATE TABLE menu_items (
    position INTEGER PRIMARY KEY,
    label    TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    href     TEXT NOT NULL CHECK (substr(href, 1, 1) = '/')
) STRICT;

-- Search: a contentless FTS5 index of the published posts and pages: title (column 0) and
-- lead + body text (column 1). unicode61 folds case and every Vietnamese tone and vowel mark,
-- NFC or NFD alike; 'đ' has no decomposition, so the triggers (and the query side) write it as
-- 'd'. Only what citizens may see is indexed, so a search never joins to filter; the triggers
-- keep it so inside the transaction of each write (a status change included).
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The titles alone, in a second index: its lists are short, so finding every post whose title
-- holds all the words (ranked first) stays cheap even for words found in most texts.
CREATE VIRTUAL TABLE titles_fts USING fts5 (
    title,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN NEW.status = 'published'
BEGIN
    INSERT INTO posts_fts (rowid, title, body) VALUES (
        NEW.id,
        replace(replace(NEW.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(NEW.lead || ' ' || NEW.body_text, 'đ', 'd'), 'Đ', 'D')
    );
    INSERT INTO titles_fts (rowid, title) VALUES (
        NEW.id, replace(replace(NEW.title, 'đ', 'd'), 'Đ', 'D')
    );
END;

CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, lead, body_text, status ON posts
BEGIN
    DELETE FROM posts_fts WHERE rowid = OLD.id;
    DELETE FROM titles_fts WHERE rowid = OLD.id;
    INSERT INTO posts_fts (rowid, title, body)
    SELECT NEW.id,
           replace(replace(NEW.title, 'đ', 'd'), 'Đ', 'D'),
           replace(replace(NEW.lead || ' ' || NEW.body_text, 'đ', 'd'), 'Đ', 'D')
    WHERE NEW.status = 'published';
    INSERT INTO titles_fts (rowid, title)
    SELECT NEW.id, replace(replace(NEW.title, 'đ', 'd'), 'Đ', 'D')
    WHERE NEW.status = 'published';
END;

CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts
BEGIN
    DELETE FROM posts_fts WHERE rowid = OLD.id;
    DELETE FROM titles_fts WHERE rowid = OLD.id;
END;

INSERT INTO categories (id, slug, name, description, parent_id, position) VALUES
    (1, 'tin-tuc-su-kien', 'Tin tức – Sự kiện', 'Tin tức, sự kiện của xã và của địa phương.', NULL, 1),
    (2, 'cai-cach-hanh-chinh', 'Cải cách hành chính', 'Cải cách hành chính, chỉ số PAPI, PAR INDEX, SIPAS.', 1, 1),
    (3, 'thong-bao', 'Thông báo', 'Thông báo của Ủy ban nhân dân xã gửi tới Nhân dân.', NULL, 2),
    (5, 'hoi-dap', 'Hỏi đáp', 'Giải đáp câu hỏi của tổ chức, công dân.', NULL, 4);

INSERT INTO menu_items (position, label, href) VALUES
    (1, 'Trang chủ', '/'),
    (2, 'Giới thiệu', '/trang/gioi-thieu'),
    (3, 'Tin tức – Sự kiện', '/chuyen-muc/tin-tuc-su-kien'),
    (4, 'Thông báo', '/chuyen-muc/thong-bao'),
    (5, 'Văn bản', '/van-ban'),
    (6, 'Hỏi đáp', '/chuyen-muc/hoi-dap'),
    (7, 'Liên hệ', '/trang/lien-he'),
    (8, 'Sơ đồ trang', '/so-do-trang');

-- Contact details for the footer and the contact page. Phone and e-mail are set by the
-- commune (`server setting set contact_phone ...`); until then they are not shown.
INSERT INTO site_settings (key, value) VALUES
    ('owner_agency', 'Ủy ban nhân dân xã Dương Quang'),
    ('owner_responsible', 'Chủ tịch Ủy ban nhân dân xã Dương Quang'),
    ('contact_address', 'Xã Dương Quang, tỉnh Hưng Yên'),
    ('contact_phone', ''),
    ('contact_email', '');

-- The sample post: its category, and its text for search (the body is plain paragraphs).
-- Setting body_text fires the update trigger, which indexes the post with it.
UPDATE posts
SET category_id = 2,
    body_text = trim(replace(replace(body_html, '</p><p>', char(10)), '<p>', ''), '</p>')
WHERE slug = 'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022';

-- Published posts that existed before this migration have no index entry yet (their title
-- and lead).
INSERT INTO posts_fts (rowid, title, body)
SELECT id, replace(replace(title, 'đ', 'd'), 'Đ', 'D'),
       replace(replace(lead || ' ' || body_text, 'đ', 'd'), 'Đ', 'D')
FROM posts WHERE status = 'published' AND id NOT IN (SELECT rowid FROM posts_fts);
INSERT INTO titles_fts (rowid, title)
SELECT id, replace(replace(title, 'đ', 'd'), 'Đ', 'D')
FROM posts WHERE status = 'published' AND id NOT IN (SELECT rowid FROM titles_fts);

INSERT INTO posts (slug, title, lead, body_html, body_text, status, published_at, kind) VALUES (
    'gioi-thieu',
    'Giới thiệu',
    'Cổng thông tin điện tử xã Dương Quang là kênh thông tin chính thức của Ủy ban nhân dân xã Dương Quang trên Internet.',
    '<p>Cổng thông tin điện tử đăng tải tin tức, sự kiện, thông báo và văn bản chỉ đạo, điều hành của chính quyền xã, để tổ chức và công dân theo dõi, tra cứu đầy đủ, kịp thời và chính xác.</p><p>Tổ chức, công dân có thể tìm bài viết bằng ô tìm kiếm ở đầu mỗi trang, theo dõi tin mới qua nguồn tin RSS, và xem toàn bộ các mục của cổng trên trang Sơ đồ trang.</p>',
    'Cổng thông tin điện tử đăng tải tin tức, sự kiện, thông báo và văn bản chỉ đạo, điều hành của chính quyền xã, để tổ chức và công dân theo dõi, tra cứu đầy đủ, kịp thời và chính xác.' || char(10) ||
    'Tổ chức, công dân có thể tìm bài viết bằng ô tìm kiếm ở đầu mỗi trang, theo dõi tin mới qua nguồn tin RSS, và xem toàn bộ các mục của cổng trên trang Sơ đồ trang.',
    'published', '2022-03-14 08:00:00', 'page'
), (
    'lien-he',
    'Liên hệ',
    'Tổ chức, công dân liên hệ với Ủy ban nhân dân xã Dương Quang qua địa chỉ dưới đây.',
    '<p>Ý kiến, kiến nghị, phản ánh về thủ tục hành chính và về nội dung đăng trên cổng thông tin xin gửi tới Ủy ban nhân dân xã, hoặc nộp trực tiếp tại Bộ phận tiếp nhận và trả kết quả của xã trong giờ hành chính.</p>',
    'Ý kiến, kiến nghị, phản ánh về thủ tục hành chính và về nội dung đăng trên cổng thông tin xin gửi tới Ủy ban nhân dân xã, hoặc nộp trực tiếp tại Bộ phận tiếp nhận và trả kết quả của xã trong giờ hành chính.',
    'published', '2022-03-14 08:00:00', 'page'
);
