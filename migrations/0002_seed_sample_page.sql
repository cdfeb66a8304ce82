-- The content of the real page in shared/seed/sample-page.txt: what a fresh install shows.
-- Text is NFC. Runs once, as every migration does, so a second start adds nothing.

INSERT INTO site_settings (key, value) VALUES
    ('commune_name', 'Xã Dương Quang'),
    ('site_title', 'Cổng thông tin điện tử xã Dương Quang'),
    ('slogan', 'TOÀN ĐẢNG, TOÀN QUÂN, TOÀN DÂN XÃ DƯƠNG QUANG RA SỨC THI ĐUA THỰC HIỆN THẮNG LỢI KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024');

INSERT INTO counters (name, value) VALUES ('visits', 42359882);

INSERT INTO posts (slug, title, lead, body_html, status, published_at, view_count) VALUES (
    'ke-hoach-tuyen-truyen-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-papi-thanh-pho-hung-yen-nam-2022',
    'Kế hoạch tuyên truyền nâng cao Chỉ số hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022',
    'Thực hiện Kế hoạch số 181/KH-UBND ngày 29/12/2021 của Ủy ban nhân dân thành phố Hưng Yên về việc nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI) thành phố Hưng Yên năm 2022.',
    '<p>Ngày  17/01/2022 Ủy ban nhân dân thành phố ban hành Kế hoạch số 19/KH-UBND về Tuyên truyền nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI)  thành phố Hưng Yên năm 2022. Nhằm phát huy sự tham gia của mọi tầng lớp Nhân dân vào quá trình xây dựng, thực thi và giám sát việc thực thi chính sách, góp phần nâng cao chất lượng điều hành, quản trị và hành chính công của bộ máy chính quyền các cấp, xây dựng nền hành chính minh bạch, liêm chính, chuyên nghiệp, thống nhất, nâng cao chất lượng phục vụ và uy tín của chính quyền các cấp với nhân dân.</p><p>Xây dựng kế hoạch và đề ra giải pháp thực hiện điều hành lĩnh vực quản lý nhà nước được giao đảm bảo thông suốt, hiệu lực, hiệu quả, góp phần nâng cao chất lượng công tác chỉ đạo, điều hành, tổ chức thực hiện các nhiệm vụ cải cách hành chính của UBND thành phố.</p><p>Kế hoạch Tuyên truyền nâng cao Chỉ số Hiệu quả quản trị và hành chính công (PAPI)  thành phố Hưng Yên năm 2022 được triển khai đồng bộ đến các cấp chính quyền; tập trung trọng điểm tại các phường, xã trên địa bàn thành phố. Quá trình thực hiện cần kết hợp chặt chẽ với thực hiện nhiệm vụ chuyên môn của các phòng, ban, đơn vị và nhiệm vụ phát triển kinh tế - chính trị xã hội của thành phố; xác định cải thiện và nâng cao chỉ số PAPI là nhiệm vụ thường xuyên, lâu dài, kiên trì, liên tục của các cơ quan, đơn vị. Đẩy mạnh công tác tuyên truyền rộng rãi đến cả hệ thống chính trị, toàn xã hội, cải thiện đánh giá của người dân; góp phần cải thiện Chỉ số PAPI của thành phố.</p><p>Toàn văn kế hoạch tại đây.</p>',
    'published',
    '2022-03-14 08:00:00',
    6
);
