//! One file per route.

pub mod accounts;
pub mod audit;
pub mod category;
pub mod documents;
pub mod editing;
pub mod home;
pub mod not_found;
pub mod password;
pub mod post;
pub mod questions;
pub mod search;
pub mod sign_in;
pub mod site_map;
pub mod static_page;
pub mod statistics;

/// The officials' routes (and the citizens' least visited). Each is split out of the citizens' wasm into its own chunk, which the
/// browser fetches when the route is opened (the server renders them like any other page, and
/// a page opened directly waits for its chunk before it hydrates).
pub mod officials {
    use leptos::prelude::*;
    use leptos_router::{lazy_route, LazyRoute};

    macro_rules! lazy_page {
        ($(#[$doc:meta])* $name:ident => $page:path) => {
            $(#[$doc])*
            pub struct $name;

            #[lazy_route]
            impl LazyRoute for $name {
                fn data() -> Self {
                    $name
                }

                fn view(_this: Self) -> AnyView {
                    view! { <$page/> }.into_any()
                }
            }
        };
    }

    lazy_page!(
        /// `/viet-bai`.
        NewPost => super::editing::NewPostPage
    );
    lazy_page!(
        /// `/quan-tri/bai-viet`.
        OfficialPosts => super::editing::OfficialPostsPage
    );
    lazy_page!(
        /// `/quan-tri/bai-viet/:id/lich-su`.
        History => super::editing::HistoryPage
    );
    lazy_page!(
        /// `/quan-tri/tai-khoan`.
        Accounts => super::accounts::AccountsPage
    );
    lazy_page!(
        /// `/quan-tri/nhat-ky`.
        AuditLog => super::audit::AuditLogPage
    );
    lazy_page!(
        /// `/quan-tri/thong-ke`.
        Statistics => super::statistics::StatisticsPage
    );
    lazy_page!(
        /// `/quan-tri/van-ban-chua-co`.
        MissingDocuments => super::documents::MissingDocumentsPage
    );
    // Hỏi đáp's pages, the citizens' included, are one chunk: the pages budgeted for weight
    // (home, a post, documents, search) do not carry them, and one split costs less than seven.
    lazy_page!(
        /// `/hoi-dap…`, `/van-ban/:id/gop-y`, `/quan-tri/hoi-dap…`, `/quan-tri/gop-y/:id`.
        QuestionPages => super::questions::QuestionPages
    );
    lazy_page!(
        /// `/van-ban/moi`.
        NewDocument => super::documents::NewDocumentPage
    );
    lazy_page!(
        /// `/doi-mat-khau`.
        Password => super::password::PasswordPage
    );
    lazy_page!(
        /// `/dang-nhap`.
        SignIn => super::sign_in::SignInPage
    );
}
