//! Part of `make bench`: Vietnamese search over a large database.
//!
//! ```text
//! searchbench generate <data dir> <posts>   a portal database with that many published posts
//! searchbench query <data dir>              the search function alone, on that database
//! searchbench http <base url>               the results page over HTTP, one request at a time
//! ```
//! Posts are generated from the words of the sample post and of commune news, with a skewed
//! word frequency like real text (a few words in most posts, most words in few), so common
//! queries match tens of thousands of posts and rare ones a handful.

use std::time::{Duration, Instant};

use app::server::finding::search::{search, Query};
use server::{config::sqlite_url, db};

/// The queries timed, as citizens type them: with and without marks, common and rare words,
/// a document number, a name.
const QUERIES: [&str; 12] = [
    "ke hoach papi",
    "Kế hoạch PAPI",
    "thông báo",
    "duong quang",
    "hành chính công",
    "tuyen truyen",
    "19/KH-UBND",
    "lịch tiếp công dân",
    "nông thôn mới",
    "giai quyet thu tuc hanh chinh",
    "chỉ số hiệu quả quản trị",
    "thuỷ lợi",
];

const WORDS: &str = "kế hoạch tuyên truyền nâng cao chỉ số hiệu quả quản trị và hành chính công \
    papi thành phố hưng yên năm thực hiện số kh ubnd ngày của ủy ban nhân dân về việc ban hành \
    nhằm phát huy sự tham gia mọi tầng lớp vào quá trình xây dựng thi giám sát chính sách góp \
    phần chất lượng điều bộ máy quyền các cấp nền minh bạch liêm chuyên nghiệp thống nhất phục \
    vụ uy tín với đề ra giải pháp lĩnh vực lý nhà nước được giao đảm bảo thông suốt lực tác chỉ \
    đạo tổ chức nhiệm cải cách triển khai đồng trọng điểm tại phường xã trên địa bàn cần kết hợp \
    chặt chẽ môn phòng đơn vị kinh tế trị hội xác định thường xuyên lâu dài kiên liên tục cơ \
    quan đẩy mạnh rộng rãi đến cả hệ thống toàn đánh giá người dương quang thông báo lịch tiếp \
    dân nông thôn mới giải quyết thủ tục đường giao thông thủy lợi vụ xuân tiêm phòng gia súc \
    họp hội đồng bầu cử đại biểu trường học y tế trạm dịch bệnh phòng chống thiên tai bão lụt \
    đê điều ngập úng môi trường rác thải vệ sinh an toàn thực phẩm lao động việc làm bảo hiểm \
    xã hội người cao tuổi trẻ em khuyến học văn hóa thể thao lễ hội đình chùa thôn xóm đất đai \
    quy hoạch sử dụng cấp giấy chứng nhận quyền hộ tịch khai sinh kết hôn chứng thực công an \
    quân sự tuyển quân nghĩa vụ an ninh trật tự phòng cháy chữa cháy điện nước sạch";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A word index skewed toward the front of the list (like Zipf).
    fn word(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((u * u * u) * n as f64) as usize % n
    }
}

fn text(rng: &mut Rng, words: &[&str], count: usize) -> String {
    let mut out = String::new();
    for i in 0..count {
        if i > 0 {
            out.push(if rng.next().is_multiple_of(12) {
                ','
            } else {
                ' '
            });
            if out.ends_with(',') {
                out.push(' ');
            }
        }
        // Shuffle the skew so that the first words of the list are not all common.
        let index = (rng.word(words.len()) * 7919) % words.len();
        out.push_str(words[index]);
    }
    out.push('.');
    out
}

async fn generate(dir: &str, posts: usize) {
    let pool = db::connect(&sqlite_url(&std::path::Path::new(dir).join("portal.db")))
        .await
        .expect("database");
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    // Spread over the categories that exist (ids are not contiguous).
    let categories: Vec<i64> = sqlx::query_scalar("SELECT id FROM categories ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..posts {
        let lengths = [
            8 + (rng.next() % 10) as usize,
            25 + (rng.next() % 20) as usize,
            150 + (rng.next() % 250) as usize,
        ];
        let title = text(&mut rng, &words, lengths[0]);
        let lead = text(&mut rng, &words, lengths[1]);
        let body = text(&mut rng, &words, lengths[2]);
        sqlx::query(
            "INSERT INTO posts (slug, title, lead, body_html, body_text, status, published_at, category_id)
             VALUES (?, ?, ?, ?, ?, 'published', ?, ?)",
        )
        .bind(format!("bai-{i}"))
        .bind(title.trim_end_matches('.'))
        .bind(&lead)
        .bind(format!("<p>{body}</p>"))
        .bind(&body)
        .bind(format!(
            "20{:02}-{:02}-{:02} {:02}:00:00",
            10 + i % 15,
            1 + i % 12,
            1 + i % 28,
            i % 24
        ))
        .bind(categories[i % categories.len()])
        .execute(&mut *tx)
        .await
        .unwrap();
        if i % 10_000 == 9_999 {
            tx.commit().await.unwrap();
            tx = pool.begin().await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    sqlx::query("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
        .execute(&pool)
        .await
        .unwrap();
    println!(
        "generated {posts} posts in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn percentiles(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    format!(
        "p50 {:>6.2} ms   p95 {:>6.2} ms   p99 {:>6.2} ms   max {:>6.2} ms   ({} searches)",
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    )
}

const ROUNDS: usize = 20;

async fn query(dir: &str) {
    let pool = db::connect(&sqlite_url(&std::path::Path::new(dir).join("portal.db")))
        .await
        .expect("database");
    let mut all = Vec::new();
    for q in QUERIES {
        let query = Query::parse(q).unwrap().unwrap();
        let first = search(&pool, &query, 1).await.unwrap();
        let mut times = Vec::new();
        for _ in 0..ROUNDS {
            let started = Instant::now();
            search(&pool, &query, 1).await.unwrap();
            times.push(started.elapsed());
        }
        println!(
            "  {q:<32} {:>7} found   {}",
            first.total,
            percentiles(times.clone())
        );
        all.extend(times);
    }
    println!("  all queries: {}", percentiles(all));
}

async fn http(base: &str) {
    let client = reqwest::Client::new();
    let mut all = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let url = format!("{base}/tim-kiem?q={}", app::format::query_value(q));
            let started = Instant::now();
            let res = client
                .get(&url)
                .header("Accept", "text/html")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{url}");
            res.bytes().await.unwrap();
            all.push(started.elapsed());
        }
    }
    println!("  results page over HTTP: {}", percentiles(all));
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", dir, posts] => generate(dir, posts.parse().expect("a number of posts")).await,
        ["query", dir] => query(dir).await,
        ["http", base] => http(base).await,
        ["sql", dir, sql, param] => {
            let pool = db::connect(&sqlite_url(&std::path::Path::new(dir).join("portal.db")))
                .await
                .expect("database");
            for _ in 0..3 {
                let started = Instant::now();
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                    .bind(param.to_string())
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                println!(
                    "{} rows in {:.2} ms",
                    rows.len(),
                    started.elapsed().as_secs_f64() * 1e3
                );
            }
        }
        _ => eprintln!("usage: searchbench generate <dir> <posts> | query <dir> | http <base url>"),
    }
}
