-- Who runs the portal, as a government portal says it: the header's two lines ("Ủy ban nhân
-- dân xã Dương Quang" is `owner_agency`; the province is new), an emblem an admin uploads
-- (empty: the plain drawn one), and the footer's office hours, licence and map place. Empty
-- settings are not shown.
INSERT INTO site_settings (key, value) VALUES
    ('province', 'Tỉnh Hưng Yên'),
    ('office_hours', ''),
    ('licence', ''),
    ('map_location', ''),
    ('emblem', '')
ON CONFLICT (key) DO NOTHING;

-- Links on the home page to the services citizens look for (administrative procedures, the
-- national public-service portal): data, like the menu, changed with `server link`.
CREATE TABLE home_links (
    position    INTEGER PRIMARY KEY,
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    href        TEXT NOT NULL CHECK (substr(href, 1, 1) = '/' OR substr(href, 1, 8) = 'https://')
) STRICT;

INSERT INTO home_links (position, label, description, href) VALUES
    (1, 'Thủ tục hành chính', 'Tra cứu thành phần hồ sơ, thời hạn và lệ phí',
        'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html'),
    (2, 'Cổng Dịch vụ công quốc gia', 'Nộp hồ sơ và theo dõi kết quả trực tuyến',
        'https://dichvucong.gov.vn'),
    (3, 'Văn bản quy phạm pháp luật', 'Cơ sở dữ liệu quốc gia về văn bản pháp luật',
        'https://vbpl.vn');

-- "Toàn văn kế hoạch tại đây." promised a link and had none; "tại đây" as a link's words is
-- what Thông tư 32/2017/TT-BTTTT asks portals to avoid. The sentence names the plan, which
-- links itself to the document. Only while the sample post is as it was seeded (version 1);
-- the change is a revision of its own, like every save.
UPDATE posts
SET body_html = replace(body_html, '<p>Toàn văn kế hoạch tại đây.</p>',
        '<p>Toàn văn: Kế hoạch số 19/KH-UBND ngày 17/01/2022 của Ủy ban nhân dân thành phố Hưng Yên.</p>'),
    body_text = replace(body_text, 'Toàn văn kế hoạch tại đây.',
        'Toàn văn: Kế hoạch số 19/KH-UBND ngày 17/01/2022 của Ủy ban nhân dân thành phố Hưng Yên.'),
    version = version + 1,
    references_scanned = 0
WHERE slug = 'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022'
  AND version = 1
  AND body_html LIKE '%<p>Toàn văn kế hoạch tại đây.</p>';

INSERT INTO post_revisions
    (post_id, version, slug, title, lead, body_html, description, category_id, published_at,
     username, note, image_id, image_alt)
SELECT id, version, slug, title, lead, body_html, description, category_id, published_at,
       '(cập nhật của cổng)', 'Câu “Toàn văn kế hoạch tại đây.” nêu tên kế hoạch', image_id, image_alt
FROM posts
WHERE slug = 'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022'
  AND version = 2
  AND references_scanned = 0
  AND NOT EXISTS (SELECT 1 FROM post_revisions r WHERE r.post_id = posts.id AND r.version = 2);
