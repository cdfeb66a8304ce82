-- "Nguồn tin RSS" in the footer led to raw XML, which a citizen's browser shows as code. It now
-- leads to this page, which says what a feed is and where the feeds are.
INSERT INTO posts (slug, title, lead, body_html, body_text, status, published_at, kind) VALUES (
    'nguon-tin-rss',
    'Nguồn tin RSS',
    'Nguồn tin RSS giúp theo dõi tin mới của cổng thông tin mà không cần mở trang: phần mềm đọc tin tự báo khi có bài mới.',
    '<p>Để theo dõi, hãy sao chép một trong các địa chỉ dưới đây rồi dán vào phần mềm hoặc ứng dụng đọc tin RSS (ví dụ Feedly, Inoreader, hoặc tính năng theo dõi nguồn tin của trình duyệt). Mở các địa chỉ này trực tiếp trong trình duyệt chỉ thấy mã XML, không phải trang tin.</p><ul><li>Tin mới của toàn cổng: <a href="/rss.xml">/rss.xml</a></li><li>Tin mới của từng chuyên mục: xem liên kết RSS bên cạnh mỗi chuyên mục trên trang <a href="/so-do-trang">Sơ đồ trang</a>.</li></ul>',
    'Để theo dõi, hãy sao chép một trong các địa chỉ dưới đây rồi dán vào phần mềm hoặc ứng dụng đọc tin RSS (ví dụ Feedly, Inoreader, hoặc tính năng theo dõi nguồn tin của trình duyệt). Mở các địa chỉ này trực tiếp trong trình duyệt chỉ thấy mã XML, không phải trang tin.' || char(10) ||
    'Tin mới của toàn cổng: /rss.xml' || char(10) ||
    'Tin mới của từng chuyên mục: xem liên kết RSS bên cạnh mỗi chuyên mục trên trang Sơ đồ trang.',
    'published', '2022-03-14 08:00:00', 'page'
) ON CONFLICT (slug) DO NOTHING;
