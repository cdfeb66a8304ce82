use crate::components::page_meta::PageTitle;
use leptos::prelude::*;

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
        <PageTitle text=heading/>
        <section class="message" data-test="error" data-status=error.status()>
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            {(error == AppError::Unauthorized).then(|| view! {
                <p><a href="/dang-nhap">"Đăng nhập"</a></p>
            })}
            <p><a href="/">"Về trang chủ"</a></p>
        </section>
    }
}

/// A page's content once its server function has answered: `render` for a value, the error
/// page otherwise.
pub fn loaded<T, V>(resource: Resource<Result<T, AppError>>, render: fn(T) -> V) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => render(value).into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
