use leptos::prelude::*;

use crate::format::{count_vn, date_vn, time_attr};

/// "14/03/2022 | Lượt xem 6" under a post's title, in lists and on the post's page.
#[component]
pub fn PostMeta(published_at: crate::model::Instant, view_count: i64) -> impl IntoView {
    view! {
        <p class="post-meta">
            <time datetime=time_attr(&published_at)>
                {date_vn(&published_at)}
            </time>
            <span class="post-meta__sep" aria-hidden="true">" | "</span>
            <span data-test="view-count">"Lượt xem " {count_vn(view_count)}</span>
        </p>
    }
}
