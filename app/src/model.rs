//! Types that cross the wire between server functions and pages.

pub mod questions;

use serde::{Deserialize, Serialize};

pub mod stats;

/// A moment: stored as UTC text `YYYY-MM-DD HH:MM:SS`, shown in Vietnam's time
/// (`format::datetime_vn`, `format::date_vn`).
pub type Instant = time::OffsetDateTime;

/// A calendar day (a document's dates, a forecast's day): stored as `YYYY-MM-DD`.
pub type Day = time::Date;

/// A post as listed on the home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PostSummary {
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub published_at: Instant,
    pub view_count: i64,
}

/// One page of the list of published posts, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostList {
    pub posts: Vec<PostSummary>,
    /// 1-based.
    pub page: i64,
    pub total_pages: i64,
}

/// A whole post, as shown on its own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Post {
    pub id: i64,
    pub stage: Stage,
    pub created_by: Option<i64>,
    pub slug: String,
    pub title: String,
    pub lead: String,
    /// Sanitised HTML of the body, stored by the server.
    pub body_html: String,
    pub published_at: Instant,
    /// Includes the view that fetched this post.
    pub view_count: i64,
    /// False for a draft, which only officials see.
    pub published: bool,
    /// The post's category and its ancestors, the outermost first (empty for none).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub category: Vec<Link>,
    /// The lead as HTML: escaped, references to documents on the portal made links.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub lead_html: String,
    /// The summary for search engines (empty: the lead is used).
    pub description: String,
    pub image_alt: String,
    /// The featured image, if the post has one.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub image: Option<ImageRendition>,
    /// HTML the server adds after the body, never stored: who asked, for an answer to a
    /// citizen's question (`server::questions::post_aside`).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub aside_html: String,
    /// The owner's contact details, shown after the body of the Liên hệ page only
    /// (`components::contact`).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub contact: Option<Contact>,
}

/// A named link: a breadcrumb, a menu entry, a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// Who owns the site and how to reach them: the footer and the contact page. Empty fields are
/// not shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// "Ủy ban nhân dân xã Dương Quang": the header's first line.
    pub agency: String,
    /// "Tỉnh Hưng Yên": the header's second line.
    pub province: String,
    pub responsible: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu".
    pub office_hours: String,
    /// The licence to run the portal: "Giấy phép số … do … cấp ngày …".
    pub licence: String,
    /// The office on OpenStreetMap (at its coordinates, else a search for the address).
    pub map: Option<String>,
}

/// A category's page: its place in the tree, its subcategories and a page of its posts (those
/// of its subcategories included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Ancestors, the outermost first.
    pub parents: Vec<Link>,
    pub children: Vec<Link>,
    pub list: PostList,
}

/// A category in the site map, with its published posts counted (subcategories included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryNode {
    pub link: Link,
    pub posts: i64,
    pub children: Vec<CategoryNode>,
}

/// The HTML site map: the menu, every category and every static page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteMap {
    pub categories: Vec<CategoryNode>,
    pub pages: Vec<Link>,
}

/// A run of text, marked when it matched the words searched for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One search result: its title and a snippet of its text, matched words marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub href: String,
    pub title: Vec<Fragment>,
    pub snippet: Vec<Fragment>,
    /// When a post was published; None for a static page, which has no date a reader needs.
    pub published_at: Option<Instant>,
    /// "Trang" for a static page, else the post's category (or empty).
    pub section: String,
}

/// A page of search results. `query` is the text as typed (NFC); empty: nothing asked yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    /// Results counted, at most `SEARCH_COUNT_LIMIT`; `more` says there are more than that.
    pub total: i64,
    pub more: bool,
    pub page: i64,
    pub total_pages: i64,
    pub hits: Vec<SearchHit>,
}

/// What every page shows around its content: the header, the slogan and the sidebar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub commune_name: String,
    pub site_title: String,
    pub slogan: String,
    pub visits: i64,
    /// The last good weather, if the service ever answered (`components::weather` shows it).
    pub weather: Option<Weather>,
    pub weather_place: WeatherPlace,
    /// The clip the "Video Clip" widget shows (`components::video`), if any.
    pub clip: Option<Clip>,
    /// The main menu, in order.
    pub menu: Vec<Link>,
    pub contact: Contact,
    /// The address of the header's emblem: the one an admin set (the national emblem), or the
    /// plain drawn one (`/bieu-trung.svg`).
    pub emblem: String,
    /// The site's public address without a final slash, for canonical links.
    pub public_url: String,
}

/// A link of the home page's services block: administrative procedures, the national
/// public-service portal (`home_links`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ServiceLink {
    pub label: String,
    pub description: String,
    pub href: String,
}

/// The home page: a page of the news, and on the first page the blocks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub list: PostList,
    /// The blocks, on the first page only (`pages::home` shows them above the news).
    pub blocks: Option<HomeBlocks>,
}

/// The home page's blocks beside the news: the latest announcements (category "Thông báo"),
/// the newest documents and the services links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeBlocks {
    pub notices: Vec<PostSummary>,
    /// The category the notices come from ("/chuyen-muc/thong-bao"); None if it is gone.
    pub notices_href: Option<String>,
    pub documents: Vec<DocumentRow>,
    pub links: Vec<ServiceLink>,
}

/// A document in the list of the documents page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i64,
    /// "Kế hoạch".
    pub kind: String,
    /// "19/KH-UBND".
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: Day,
    pub issuer: String,
    /// Trích yếu.
    pub summary: String,
    /// Past its expiry date, or replaced by another document.
    pub expired: bool,
}

/// The values the documents page's filters offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFilters {
    pub kinds: Vec<String>,
    pub issuers: Vec<String>,
    pub fields: Vec<String>,
    pub years: Vec<i64>,
}

/// A page of the documents list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentList {
    pub documents: Vec<DocumentRow>,
    pub total: i64,
    pub page: i64,
    pub total_pages: i64,
    pub filters: DocumentFilters,
    /// The filter values asked for: kind, issuer, field, year, query ("" for none).
    pub chosen: [String; 5],
}

/// A document's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub summary: DocumentRow,
    pub effective_on: Option<Day>,
    pub expires_on: Option<Day>,
    pub signer: String,
    pub field: String,
    pub replaced_by: Vec<Link>,
    pub replaces: Vec<Link>,
    /// Published posts and pages that cite it.
    pub cited_by: Vec<Link>,
    /// The full text and annexes.
    pub files: Vec<Attachment>,
    /// Comments on a draft: the deadline and the way to the form (for editors, the form that
    /// sets the deadline), made on the server; empty for a document that asks for none.
    #[serde(default)]
    pub comments_html: String,
}

/// Search results are counted up to this many ("hơn 1.000 kết quả").
pub const SEARCH_COUNT_LIMIT: i64 = 1000;

/// Posts shown per page of a list.
pub const POSTS_PER_PAGE: i64 = 10;

/// An official's role on the editorial board (Ban biên tập).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Phóng viên: writes and edits own drafts, submits them for review.
    Writer,
    /// Biên tập viên: edits, publishes and unpublishes any post.
    Editor,
    /// Quản trị: also manages accounts and site settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Writer, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Writer => "writer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == raw.trim())
    }

    /// The Vietnamese name shown to officials.
    pub fn label(self) -> &'static str {
        match self {
            Role::Writer => "Phóng viên",
            Role::Editor => "Biên tập viên",
            Role::Admin => "Quản trị",
        }
    }
}

/// What waits for an official, for the bar's "Bài viết": posts in review for editors, their own
/// drafts for writers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostsWaiting {
    /// The tab of the officials' list that holds it.
    pub stage: Stage,
    pub count: i64,
}

/// The signed-in official, as pages see them. Holds nothing secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Official {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// What waits for them, for the officials' bar: filled only by `who_am_i`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<PostsWaiting>,
    /// Citizens' questions waiting (new, overdue), for the officials' bar: filled only by
    /// `who_am_i`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<(i64, i64)>,
}

impl Official {
    /// Whether the official's role is `role` or above it.
    pub fn can(&self, role: Role) -> bool {
        self.role >= role
    }

    /// Whether the official may change the text of a post at `stage` written by `created_by`:
    /// editors any post out of the trash, writers their own drafts and posts waiting for review.
    pub fn may_edit(&self, stage: Stage, created_by: Option<i64>) -> bool {
        stage != Stage::Trash
            && (self.can(Role::Editor)
                || (created_by == Some(self.id) && matches!(stage, Stage::Draft | Stage::Review)))
    }
}

/// An account as the admins' page lists it. No password hash ever crosses the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: Instant,
    /// Browsers signed in now.
    pub sessions: i64,
    /// The admin looking at the list: their own password is changed with the current one.
    pub is_me: bool,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: Instant,
    pub username: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
}

/// A page of the audit log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: i64,
    pub total_pages: i64,
}

/// Audit log entries per page.
pub const AUDIT_PER_PAGE: i64 = 50;

/// The weather at the commune, as the sidebar shows it. Filled by the server from the weather
/// service; the browser never calls that service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weather {
    pub place: String,
    /// When the answer came.
    pub fetched_at: Instant,
    pub current: CurrentWeather,
    /// Today and the next days.
    pub days: Vec<DayForecast>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentWeather {
    /// °C.
    pub temperature: f64,
    /// %.
    pub humidity: i64,
    /// km/h.
    pub wind_speed: f64,
    /// Degrees, where the wind comes from.
    pub wind_direction: i64,
    /// WMO weather interpretation code.
    pub code: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayForecast {
    /// The local day.
    pub date: Day,
    pub code: i64,
    pub max: f64,
    pub min: f64,
    /// Highest chance of rain in the day, %.
    pub rain_chance: Option<i64>,
}

/// Where the weather is shown for, as admins set it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeatherPlace {
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// Where a clip plays from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClipSource {
    /// A YouTube video, played through youtube-nocookie.com once the reader presses play.
    YouTube { id: String },
    /// A file uploaded to the portal, served from `/media/`, with its captions (WebVTT) if any.
    File {
        url: String,
        mime: String,
        captions: Option<String>,
    },
}

/// A video clip of the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clip {
    pub id: i64,
    pub title: String,
    pub source: ClipSource,
    pub view_count: i64,
    /// UTC `YYYY-MM-DD HH:MM:SS`.
    pub created_at: Instant,
}

/// Where a post stands in the publishing workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "lowercase"))]
pub enum Stage {
    /// Bản nháp: being written; only officials see it.
    Draft,
    /// Chờ duyệt: a writer sent it for an editor to publish.
    Review,
    /// Hẹn giờ đăng: published by itself at its publication time.
    Scheduled,
    /// Đã đăng: public.
    Published,
    /// Thùng rác: deleted; an editor can restore it.
    Trash,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Draft,
        Stage::Review,
        Stage::Scheduled,
        Stage::Published,
        Stage::Trash,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Review => "review",
            Stage::Scheduled => "scheduled",
            Stage::Published => "published",
            Stage::Trash => "trash",
        }
    }

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Bản nháp",
            Stage::Review => "Chờ duyệt",
            Stage::Scheduled => "Hẹn giờ đăng",
            Stage::Published => "Đã đăng",
            Stage::Trash => "Thùng rác",
        }
    }
}

/// A post as the editor holds it: the stored text (references not turned into links), and
/// the version it was read at, which its next save carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EditablePost {
    /// None for a new post not saved yet.
    pub id: Option<i64>,
    pub version: i64,
    pub stage: Stage,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    /// The summary for search engines (empty: the lead is used).
    pub description: String,
    pub category_id: Option<i64>,
    /// Publication time in Vietnam, as a `datetime-local` input holds it: `2022-03-14T15:00`.
    pub published_local: String,
    pub created_by: Option<i64>,
    /// The featured image (an image attachment) and its description.
    pub image_id: Option<i64>,
    pub image_alt: String,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub image: Option<Attachment>,
    /// Who saved the version held, and when (None for a new post).
    pub saved_by: String,
    pub saved_at: Option<Instant>,
}

/// What the editor sends to save: the text, the side panel's fields, and the version the
/// official started from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostEdit {
    pub id: Option<i64>,
    pub base_version: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub published_local: String,
    /// The featured image; absent: none.
    #[serde(default)]
    pub image_id: Option<i64>,
    #[serde(default)]
    pub image_alt: String,
}

/// The answer to a save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveOutcome {
    /// Stored as `version`; `body_html` is the body as sanitised and kept.
    Saved {
        id: i64,
        version: i64,
        slug: String,
        body_html: String,
    },
    /// Someone saved a newer version meanwhile; nothing was stored. `current` is theirs.
    Conflict { current: Box<EditablePost> },
}

/// A category as the side panel offers it: its name indented by depth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub id: i64,
    pub label: String,
}

/// What the editor needs to open: the post and the categories it may go in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub post: EditablePost,
    pub categories: Vec<CategoryChoice>,
}

/// One saved version of a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RevisionInfo {
    pub version: i64,
    /// The display name of who saved it.
    pub author: String,
    pub note: String,
    /// UTC.
    pub created_at: Instant,
}

/// A line of a diff between two versions: `'+'` added, `'-'` removed, `' '` unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub change: char,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionDiff {
    pub from: i64,
    pub to: i64,
    pub lines: Vec<DiffLine>,
}

/// A post's history: every version, newest first, and the diff asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub version: i64,
    pub stage: Stage,
    pub revisions: Vec<RevisionInfo>,
    pub diff: Option<RevisionDiff>,
}

/// A row of the officials' list of posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OfficialPostRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub updated_at: Instant,
    pub published_at: Instant,
    pub author: String,
}

/// The officials' list of the posts at one stage, with how many each stage holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialPostList {
    pub stage: Stage,
    pub counts: Vec<(Stage, i64)>,
    pub rows: Vec<OfficialPostRow>,
}

/// An uploaded file, as the editor inserts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    /// `/tep/<id>/<name>`.
    pub url: String,
    pub name: String,
    pub size: i64,
    /// What a link to it says after its text: "PDF, 245 KB".
    pub description: String,
    pub image: Option<ImageRendition>,
}

/// How an uploaded image is shown: a resized copy, and the others for `srcset`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRendition {
    pub src: String,
    pub srcset: String,
    pub width: i64,
    pub height: i64,
}

/// A document posts cite that the portal does not have yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingReference {
    pub kind: String,
    /// "19/KH-UBND".
    pub number: String,
    /// `YYYY-MM-DD`, when the posts give the date.
    pub issued_on: Option<Day>,
    /// As one post wrote it.
    pub written: String,
    /// How many posts cite it.
    pub count: i64,
    /// Some of them.
    pub posts: Vec<Link>,
}

/// The officials' list of what the documents lack: documents posts cite that the portal does
/// not have, and documents it has without their full text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingDocuments {
    pub cited: Vec<MissingReference>,
    pub without_files: Vec<DocumentWithoutFile>,
}

/// A document on the portal with no file: citizens cannot read its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentWithoutFile {
    pub id: i64,
    pub kind: String,
    /// "19/KH-UBND".
    pub number: String,
    pub issued_on: Day,
    pub summary: String,
    /// Posts citing it.
    pub cited_by: i64,
}

/// What the documents form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEdit {
    pub id: Option<i64>,
    pub base_version: i64,
    pub kind: String,
    /// Số ký hiệu: "19/KH-UBND".
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub effective_on: String,
    pub expires_on: String,
    pub issuer: String,
    pub signer: String,
    pub field: String,
    pub summary: String,
    /// The files, in order (attachment ids).
    pub files: Vec<Attachment>,
    /// The document that replaces this one, if any.
    #[serde(default)]
    pub replaced_by: Option<i64>,
}

/// The documents form: the document as stored (or a blank one) and the kinds to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEditor {
    pub document: DocumentEdit,
    pub kinds: Vec<String>,
    /// The other documents, newest first, for "replaced by".
    pub others: Vec<CategoryChoice>,
}

/// A page made on the server as escaped HTML (the Hỏi đáp pages): its title, content and status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadePage {
    pub title: String,
    pub html: String,
    pub status: u16,
}

/// A citizens' reading page (home, a post, a category, a static page, search, the site map,
/// the documents and a document) made on the server: what its head says, and its content as
/// HTML rendered there from the page's components. The browser shows the HTML as it is, so
/// none of those components, nor the types of their data, are in the citizens' wasm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// The page's own title (empty: the site's).
    pub title: String,
    pub description: String,
    /// The page's path, for the canonical address.
    pub path: String,
    pub date: Option<Instant>,
    /// A news article (Open Graph).
    pub article: bool,
    pub image: Option<String>,
    /// The page's own feed (a category's): its title and address.
    pub feed: Option<(String, String)>,
    /// Kept out of search engines' indexes (search results).
    pub noindex: bool,
    pub html: String,
}

impl Reading {
    /// A page of `html` with its title, description and path: no date, image or feed.
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        path: impl Into<String>,
        html: String,
    ) -> Reading {
        Reading {
            title: title.into(),
            description: description.into(),
            path: path.into(),
            date: None,
            article: false,
            image: None,
            feed: None,
            noindex: false,
            html,
        }
    }
}

/// A post's reading page, with what the officials' tools above it need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostReading {
    pub page: Reading,
    pub id: i64,
    pub stage: Stage,
    pub created_by: Option<i64>,
}
