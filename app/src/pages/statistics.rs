use crate::components::page_meta::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::operations::statistics;
use crate::components::error_view::loaded;
use crate::model::StatisticsView;

/// `/quan-tri/thong-ke`: visits, views and plays over a period, for editors and admins. The
/// charts and tables are made on the server, so they read the same without JavaScript.
#[component]
pub fn StatisticsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let query = query.read();
            (query.get("ngay"), query.get("tu"), query.get("den"))
        },
        |(days, from, to)| statistics(days, from, to),
    );
    loaded(data, |view| view! { <Statistics view/> })
}

#[component]
fn Statistics(view: StatisticsView) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if view.refused {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::BAD_REQUEST);
        }
    }
    view! {
        <PageTitle text="Thống kê truy cập"/>
        <h1>"Thống kê truy cập"</h1>
        <div class="stats" data-test="statistics" inner_html=view.html></div>
    }
}
