use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// A page-sized message for an error, in Vietnamese, with the matching HTTP status when
/// rendered on the server.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    let heading = error.heading();
    view! {
        <Title text=heading/>
        <section class="message" data-test="error" data-status=error.status()>
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Về trang chủ"</a></p>
        </section>
    }
}
