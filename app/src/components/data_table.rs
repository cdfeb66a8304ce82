//! The tables of lists (accounts, the audit log, posts by stage, revisions, documents): one
//! frame, the same everywhere.

use leptos::either::Either;
use leptos::prelude::*;

/// A table in a frame that scrolls sideways on narrow screens:
/// `<div class="table-scroll"><table class=… data-test=…><caption>…</caption><thead>…</thead>
/// <tbody>…</tbody></table></div>`, or the `empty` view instead when there are no rows.
///
/// The `<tbody>` is always written: a browser parsing a table without one adds it, and the
/// hydrated view would then not find its rows.
#[component]
pub fn DataTable<T, R, V, C, const N: usize>(
    /// The table's `data-test`.
    test: &'static str,
    /// What the table lists, read first by screen readers.
    caption: C,
    /// The column headings, left to right. An array, not a `Vec`: a `Vec` would write a
    /// hydration marker (`<!>`) after the cells.
    columns: [&'static str; N],
    /// One item per row.
    rows: Vec<T>,
    /// An item's `<tr>`.
    row: R,
    /// Shown instead of the table when there are no rows; without it the table stays, empty.
    #[prop(optional, into)]
    empty: Option<ViewFnOnce>,
    /// The table's class.
    #[prop(default = "data-table")]
    class: &'static str,
    /// The caption's id, if the frame is a region labelled by the caption that the keyboard
    /// can reach (to scroll it).
    #[prop(optional)]
    region: Option<&'static str>,
) -> impl IntoView
where
    T: 'static,
    R: Fn(T) -> V + 'static,
    V: IntoView + 'static,
    C: IntoView + 'static,
{
    if rows.is_empty() {
        if let Some(empty) = empty {
            return Either::Left(empty.run());
        }
    }
    Either::Right(view! {
        <div class="table-scroll" role=region.map(|_| "region") aria-labelledby=region
            tabindex=region.map(|_| "0")>
            <table class=class data-test=test>
                <caption id=region>{caption}</caption>
                <thead>
                    <tr>{columns.map(|column| view! { <th scope="col">{column}</th> })}</tr>
                </thead>
                <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    })
}
