//! Hỏi đáp: citizens ask through a form (no account, no JavaScript), get a tracking code, and
//! officials answer within 15 working days; comments on draft documents go through the same
//! form rules (`drafts`).
//!
//! The rooms: `store` (a question as stored, its code, who may see its sender), `intake` (the
//! forms' guard) and `typed` (what citizens type, checked), `citizens` (asking, tracking, the
//! public list), `queue` (the officials' queue and steps), `calendar` (deadlines and holidays),
//! `publishing` (answers becoming posts), `mail` (the outbox) and `drafts` (comments on draft
//! documents). They return data (`model::questions`); the pages render it (`pages::questions`).
//!
//! - **An answer is a post** of the `hoi-dap` category, linked to its question: it is written in
//!   the same in-place editor, sanitised, revised, audited, published, searched, fed and put in
//!   the sitemap like any post. Its title is the question's title and its lead the question as
//!   it will be published (officials may take personal details out of it); the body is the
//!   answer. Its page names the asker only as the official chose (`public_name`).
//! - **Status:** `received`, `assigned` (to an official), `answered` (sent to the citizen),
//!   `declined` (with a reason); published is the answer's post being published.
//! - **Personal data** (name, contact, the address's keyed hash, the file) and the tracking code
//!   are shown only to editors, admins and the official a question is given to (a writer's
//!   queue and count hold only the questions given to them), and each opening of a question's
//!   page is audited ("Xem thông tin người hỏi"). The tracking page shows only the one question
//!   its code names, without them; wrong codes are limited per address (`intake`).
//! - **E-mail** is put in an outbox that a task of the server empties (`mail`): no request
//!   waits on the mail server.

pub mod calendar;
pub mod citizens;
pub mod drafts;
pub mod intake;
pub mod mail;
pub mod publishing;
pub mod queue;
pub mod store;
pub mod typed;

pub use self::calendar::recount_deadlines;
pub use self::citizens::Refusal;
pub use self::publishing::{answered_by_post, check_publishable, period_counts};
pub use self::queue::counts;
pub use self::store::{file_hidden_from, today};
