use leptos::prelude::*;

use crate::components::error_view::ErrorView;
use crate::error::AppError;

/// Any URL that matches no route: a Vietnamese page with a real 404 status.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <ErrorView error=AppError::NotFound(
            "Trang bạn tìm không có trên cổng thông tin. Có thể đường dẫn đã bị gõ sai hoặc trang đã được chuyển đi."
                .into(),
        )/>
    }
}
