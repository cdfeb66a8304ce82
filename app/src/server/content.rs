//! Posts and pages: reading them (lists, a post, categories and their breadcrumbs) and
//! officials' writes (checks, saves with versions, the workflow, revisions, the schedule).

pub mod categories;
pub mod check;
pub mod editing;
pub mod list;
pub mod posts;
pub mod revisions;
pub mod schedule;
pub mod workflow;
