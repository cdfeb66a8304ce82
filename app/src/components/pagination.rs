use leptos::prelude::*;

/// Links to the pages of a list: previous, the first and last page, the pages around the
/// current one, next.
#[component]
pub fn Pagination(
    page: i64,
    total_pages: i64,
    /// The list's own address; page N adds `trang=N` to its query.
    #[prop(into, default = "/".into())]
    base: String,
) -> impl IntoView {
    (total_pages > 1).then(|| {
        let href = move |p: i64| {
            let separator = if base.contains('?') { '&' } else { '?' };
            if p == 1 {
                base.clone()
            } else {
                format!("{base}{separator}trang={p}")
            }
        };
        let mut items = Vec::new();
        if page > 1 {
            items.push(view! { <li><a href=href(page - 1) rel="prev">"« Trang trước"</a></li> }.into_any());
        }
        let mut last_shown = 0;
        for p in page_window(page, total_pages) {
            if p > last_shown + 1 {
                items.push(view! { <li class="pagination__gap" aria-hidden="true">"…"</li> }.into_any());
            }
            last_shown = p;
            items.push(
                view! {
                    <li>
                        <a href=href(p) aria-current=(p == page).then_some("page") aria-label=format!("Trang {p}")>
                            {p}
                        </a>
                    </li>
                }
                .into_any(),
            );
        }
        if page < total_pages {
            items.push(view! { <li><a href=href(page + 1) rel="next">"Trang sau »"</a></li> }.into_any());
        }
        view! {
            <nav class="pagination" aria-label="Phân trang">
                <ul>{items}</ul>
            </nav>
        }
    })
}

/// Page numbers to link: the first, the last, and two on each side of the current one.
fn page_window(page: i64, total_pages: i64) -> Vec<i64> {
    (1..=total_pages)
        .filter(|&p| p == 1 || p == total_pages || (p - page).abs() <= 2)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn long_lists_link_the_ends_and_the_neighbourhood() {
        assert_eq!(page_window(1, 3), vec![1, 2, 3]);
        assert_eq!(page_window(1, 50), vec![1, 2, 3, 50]);
        assert_eq!(page_window(25, 50), vec![1, 23, 24, 25, 26, 27, 50]);
        assert_eq!(page_window(50, 50), vec![1, 48, 49, 50]);
    }
}
