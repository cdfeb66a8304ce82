//! What the Hỏi đáp pages and the draft comments' pages are made of: the data the server rooms
//! (`server::questions`) read and the server functions (`api::questions`) send, which the pages
//! (`pages::questions`) render with `view!`. Text here is plain text (escaped where rendered);
//! the one piece of markup is an answer's body, the sanitised HTML of its post.

use serde::{Deserialize, Serialize};

/// The names of the citizens' forms' fields, shared by the forms and their handlers.
pub mod names {
    pub const NAME: &str = "ho-ten";
    pub const CONTACT: &str = "lien-he";
    pub const HAMLET: &str = "thon";
    pub const FIELD: &str = "linh-vuc";
    pub const TITLE: &str = "tieu-de";
    pub const BODY: &str = "chi-tiet";
    pub const FILE: &str = "tep";
    pub const TICKET: &str = "phieu";
    pub const ANSWER: &str = "tra-loi-kiem-tra";
    /// The field people do not see.
    pub const TRAP: &str = "trang-web";
}

/// The longest text each field of the citizens' forms takes, in characters.
pub mod limits {
    pub const MAX_NAME_CHARS: usize = 100;
    pub const MAX_CONTACT_CHARS: usize = 100;
    pub const MAX_HAMLET_CHARS: usize = 100;
    pub const MAX_TITLE_CHARS: usize = 200;
    /// As long as a post's lead may be: the question becomes the lead of its answer's post.
    pub const MAX_BODY_CHARS: usize = 2000;
}

/// Where a question is in its workflow, as stored in `questions.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionStatus {
    /// Received, not given to an official yet.
    Received,
    /// Given to an official.
    Assigned,
    /// The answer was sent to the citizen.
    Answered,
    /// Not to be published, with a reason the asker reads.
    Declined,
}

impl QuestionStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::Received => "received",
            QuestionStatus::Assigned => "assigned",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Declined => "declined",
        }
    }

    /// The stored text read back; an unknown one reads as received (the table's default).
    pub fn parse(stored: &str) -> QuestionStatus {
        match stored {
            "assigned" => QuestionStatus::Assigned,
            "answered" => QuestionStatus::Answered,
            "declined" => QuestionStatus::Declined,
            _ => QuestionStatus::Received,
        }
    }

    /// Still waiting for an answer.
    pub const fn is_open(self) -> bool {
        matches!(self, QuestionStatus::Received | QuestionStatus::Assigned)
    }

    /// What a citizen reads of a status (`published`: the answer's post is published).
    pub const fn label(self, published: bool) -> &'static str {
        match (self, published) {
            (_, true) => "Đã đăng",
            (QuestionStatus::Assigned, _) => "Đang xử lý",
            (QuestionStatus::Answered, _) => "Đã trả lời",
            (QuestionStatus::Declined, _) => "Không đăng",
            (QuestionStatus::Received, _) => "Đã tiếp nhận",
        }
    }
}

impl From<String> for QuestionStatus {
    fn from(stored: String) -> QuestionStatus {
        QuestionStatus::parse(&stored)
    }
}

/// A tab of the officials' queue (`/quan-tri/hoi-dap?xem=…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueTab {
    /// Everything still open (no `xem`).
    Open,
    New,
    Overdue,
    Answered,
    Declined,
}

impl QueueTab {
    pub const ALL: [QueueTab; 5] = [
        QueueTab::Open,
        QueueTab::New,
        QueueTab::Overdue,
        QueueTab::Answered,
        QueueTab::Declined,
    ];

    /// Its `?xem=` value (empty for the first tab).
    pub const fn key(self) -> &'static str {
        match self {
            QueueTab::Open => "",
            QueueTab::New => "moi",
            QueueTab::Overdue => "qua-han",
            QueueTab::Answered => "da-tra-loi",
            QueueTab::Declined => "khong-dang",
        }
    }

    pub fn parse(key: &str) -> Option<QueueTab> {
        QueueTab::ALL.into_iter().find(|tab| tab.key() == key)
    }

    pub const fn label(self) -> &'static str {
        match self {
            QueueTab::Open => "Cần xử lý",
            QueueTab::New => "Mới",
            QueueTab::Overdue => "Quá hạn",
            QueueTab::Answered => "Đã trả lời",
            QueueTab::Declined => "Không đăng",
        }
    }

    pub fn href(self) -> String {
        match self.key() {
            "" => "/quan-tri/hoi-dap".to_string(),
            key => format!("/quan-tri/hoi-dap?xem={key}"),
        }
    }
}

/// A page of Hỏi đáp: its title, status (set on the server's answer), the line above it after
/// one of its forms, and what it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaPage<T> {
    pub title: String,
    pub status: u16,
    pub notice: Option<Notice>,
    pub content: T,
}

/// The line above a page after a form: what was done, or why it was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    Done(String),
    Refused(String),
}

/// A field of the question form's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Field {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// What a citizen typed into a form, by field name, as sent (kept to show it again).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typed(pub Vec<(String, String)>);

impl Typed {
    /// What was typed, from `(name, value)` pairs (the unit tests' forms).
    #[cfg(test)]
    pub fn of(pairs: &[(&str, &str)]) -> Typed {
        Typed(
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Keeps `value` for `name` (the last one sent wins).
    pub fn set(&mut self, name: &str, value: String) {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value));
    }
}

/// A form's ticket as the form shows it: the signed token and the sum in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub token: String,
    pub question: String,
}

/// A citizen's form, filled with what was typed after a refusal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenForm {
    pub typed: Typed,
    pub ticket: TicketView,
    pub error: Option<String>,
}

/// `/hoi-dap/gui-cau-hoi`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    pub fields: Vec<Field>,
    pub form: CitizenForm,
    /// A file came with a refused form and must be chosen again.
    pub file_dropped: bool,
}

/// `/hoi-dap`: a page of the published questions and answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQuestions {
    pub fields: Vec<Field>,
    /// The field chosen (its slug), if any.
    pub chosen: Option<String>,
    /// The words searched, as understood.
    pub words: String,
    /// A field or words narrow the list.
    pub filtered: bool,
    pub items: Vec<PublicItem>,
    pub page: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicItem {
    pub slug: String,
    pub title: String,
    pub field: String,
    /// How the asker is named, as the official chose (empty: not at all).
    pub asker: String,
    pub asked: String,
    pub answered: String,
    /// The start of the question, with "…" when cut.
    pub excerpt: String,
}

/// `/hoi-dap/tra-cuu`: the code typed and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub typed: String,
    pub found: TrackFound,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackFound {
    /// No code typed: just the form.
    Nothing,
    /// The code names no question.
    Unknown,
    Question(Box<Tracked>),
}

/// What the tracking page shows of a question: never a name, a contact or a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    /// Just sent: the code is shown to be written down.
    pub fresh: bool,
    pub code: String,
    pub title: String,
    pub field: String,
    pub received: String,
    pub due: String,
    pub label: String,
    pub declined: Option<String>,
    pub answer: Option<TrackedAnswer>,
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedAnswer {
    pub day: String,
    /// The answer's post body: sanitised HTML, as stored.
    pub body_html: String,
    /// The published post's slug.
    pub published: Option<String>,
}

/// `/van-ban/<id>/gop-y`: the comment page of a draft document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentPage {
    pub document_id: i64,
    pub state: CommentState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentState {
    /// A comment was just sent.
    Sent,
    /// Open until the day shown.
    Open { until: String, form: CitizenForm },
    /// Its deadline has passed.
    Closed { until: String },
    /// The document never asked for comments (`error`: an editor's refused deadline).
    NotAsked { error: Option<String> },
}

/// A holiday of the admins' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayLine {
    /// As stored, `YYYY-MM-DD`.
    pub day: String,
    pub shown: String,
    pub name: String,
}

/// A draft open for comments, for the officials' queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLine {
    pub id: i64,
    pub title: String,
    pub comments: i64,
    pub until: String,
}

/// `/quan-tri/hoi-dap`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub tab: QueueTab,
    /// Editors and admins (a writer sees only what is given to them).
    pub editor: bool,
    pub new: i64,
    pub overdue: i64,
    pub rows: Vec<QueueRow>,
    pub drafts: Vec<DraftLine>,
    /// For admins: the holidays from today on.
    pub holidays: Option<Vec<HolidayLine>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub hamlet: String,
    pub field: String,
    pub received: String,
    pub due: String,
    pub assignee: Option<String>,
    pub overdue: bool,
    /// The days left, or the status of a closed question.
    pub state: String,
}

/// A question's file, as its officials' page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionFile {
    None,
    Missing,
    File {
        url: String,
        name: String,
        description: String,
    },
}

/// `/quan-tri/hoi-dap/<id>`: a question whole, and what the official may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub id: i64,
    pub code: String,
    pub status: QuestionStatus,
    pub label: String,
    pub name: String,
    pub contact: String,
    pub hamlet: String,
    pub field: String,
    pub received: String,
    pub due: String,
    /// Open: the days left, and whether they are past.
    pub deadline: Option<(bool, String)>,
    pub assignee: Option<String>,
    pub file: QuestionFile,
    pub body: String,
    /// The answer's post body (sanitised HTML), once it has one.
    pub answer_html: Option<String>,
    pub decline_reason: String,
    pub actions: Actions,
}

/// The forms a question's page offers its official.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actions {
    /// Editors, before the answer is sent: the officials to give it to, and who has it.
    pub assign: Option<Assign>,
    /// Editors and its official: the answer's post to edit (Some(slug)) or to start (None).
    pub answer: Option<Option<String>>,
    /// Editors and its official: how the published question names the asker.
    pub public_name: Option<String>,
    pub mark_answered: bool,
    pub publish: bool,
    pub decline: bool,
}

/// The officials a question may be given to (id, name), and the one it is given to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assign {
    pub officials: Vec<(i64, String)>,
    pub current: Option<i64>,
}

/// `/quan-tri/gop-y/<id>`: the comments on a draft.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftComments {
    pub document_id: i64,
    pub until: Option<String>,
    pub comments: Vec<CommentLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentLine {
    /// Who sent it, for editors and admins (None: a writer reads what, not who).
    pub name: Option<String>,
    pub contact: String,
    pub hamlet: String,
    pub when: String,
    pub body: String,
}

/// What a document's page says of comments on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentComments {
    pub document_id: i64,
    /// Asked for comments until this day (shown), and whether that is still to come.
    pub until: Option<(String, bool)>,
    /// For officials: how many comments came.
    pub received: Option<i64>,
    /// For editors: the deadline as the date input takes it (empty: none).
    pub editor_until: Option<String>,
}

/// What a published answer's page shows between the question and the answer: who asked
/// (empty: not named, as the official chose), the field and the day asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionAside {
    pub asker: String,
    pub field: String,
    pub asked: String,
}
