//! Officials' pages around the inline editor: a new post, the list of posts by stage (the
//! trash included), and a post's history with diffs and restore.

use leptos::prelude::*;
use leptos_meta::Meta;

use crate::components::page_meta::PageTitle;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::editing::{edit_post, load_history, official_posts, RestoreRevision};
use crate::components::data_table::DataTable;
use crate::components::editor::{PostEditor, WorkflowButtons};
use crate::components::error_view::{loaded, ErrorView};
use crate::components::official::{reload, use_official};
use crate::error::AppError;
use crate::format::{count_vn, datetime_vn};
use crate::model::{
    EditorData, Official, OfficialPostList, OfficialPostRow, PostHistory, SaveOutcome, Stage,
};

/// Said without JavaScript, which the editor needs.
const NEEDS_SCRIPT: &str = "<p class=\"form-error\" role=\"alert\" data-test=\"needs-script\">\
Trình soạn thảo cần JavaScript. Hãy bật JavaScript trong trình duyệt rồi tải lại trang này.</p>";

/// `/viet-bai`: a new post, opened directly in the editor. Its first save creates it as a draft.
#[component]
pub fn NewPostPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| edit_post(None));
    loaded(data, |data| view! { <NewPost data/> })
}

#[component]
fn NewPost(data: EditorData) -> impl IntoView {
    let official = use_official();
    view! {
        <PageTitle text="Viết bài mới"/>
        <Meta name="robots" content="noindex"/>
        // Set as markup, not children: with scripts on, a browser reads a <noscript>'s content
        // as text, which hydration would not find as elements.
        <noscript inner_html=NEEDS_SCRIPT></noscript>
        {match official {
            Some(official) => view! { <PostEditor data official/> }.into_any(),
            None => view! { <ErrorView error=AppError::Unauthorized/> }.into_any(),
        }}
    }
}

/// `/quan-tri/bai-viet?trang-thai=...`: the posts at one stage, for officials.
#[component]
pub fn OfficialPostsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(move || query.read().get("trang-thai"), official_posts);
    loaded(list, |list| view! { <PostsByStage list/> })
}

#[component]
fn PostsByStage(list: OfficialPostList) -> impl IntoView {
    let official = use_official();
    let stage = list.stage;
    view! {
        <PageTitle text="Quản lý bài viết"/>
        <h1>"Quản lý bài viết"</h1>
        <p><a href="/viet-bai" data-test="new-post">"Viết bài mới"</a></p>
        <nav aria-label="Trạng thái bài viết">
            <ul class="stage-tabs">
                {list.counts.into_iter().map(|(s, n)| view! {
                    <li>
                        <a href=format!("/quan-tri/bai-viet?trang-thai={}", s.as_str())
                            aria-current=(s == stage).then_some("page")>
                            {s.label()} " (" {count_vn(n)} ")"
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
        <DataTable test="official-posts" caption=view! { {stage.label()} ", thay đổi gần nhất trước" }
            columns=["Tiêu đề", "Người viết", "Sửa lần cuối", "Thời gian đăng", "Thao tác"]
            rows=list.rows row=move |row| view! { <PostRow row stage official=official.clone()/> }
            empty=|| view! { <p data-test="no-posts">"Không có bài viết nào ở trạng thái này."</p> }/>
    }
}

/// A post in the officials' list: its title (a link unless it is in the trash), who wrote it,
/// when, and what can be done with it.
#[component]
fn PostRow(row: OfficialPostRow, stage: Stage, official: Option<Official>) -> impl IntoView {
    let href = crate::links::post_path(&row.kind, &row.slug);
    view! {
        <tr data-test="official-post">
            <td>
                {if stage == Stage::Trash {
                    view! { <span>{row.title}</span> }.into_any()
                } else {
                    view! { <a href=href>{row.title}</a> }.into_any()
                }}
            </td>
            <td>{row.author}</td>
            <td>{datetime_vn(&row.updated_at)}</td>
            <td>{datetime_vn(&row.published_at)}</td>
            <td>
                {official.map(|official| view! {
                    <WorkflowButtons id=row.id stage created_by=None official/>
                })}
                <a href=format!("/quan-tri/bai-viet/{}/lich-su", row.id)>"Lịch sử"</a>
            </td>
        </tr>
    }
}

/// `/quan-tri/bai-viet/:id/lich-su?tu=&den=`: every version of a post, the differences between
/// two, and the restore of any.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let history = Resource::new(
        move || {
            let number = |raw: Option<String>| raw.and_then(|v| v.trim().parse::<i64>().ok());
            (
                params.read().get("id").and_then(|v| v.parse::<i64>().ok()),
                number(query.read().get("tu")),
                number(query.read().get("den")),
            )
        },
        |(id, from, to)| async move {
            match id {
                Some(id) => load_history(id, from, to).await,
                None => Err(AppError::NotFound("Không tìm thấy bài viết này.".into())),
            }
        },
    );
    loaded(history, |history| view! { <History history/> })
}

#[component]
fn History(history: PostHistory) -> impl IntoView {
    let restore = ServerAction::<RestoreRevision>::new();
    let result = move || {
        match restore.value().get() {
        Some(Ok(SaveOutcome::Saved { version, .. })) => {
            reload();
            Some(view! { <p class="form-ok" role="status">"Đã khôi phục thành phiên bản " {version} "."</p> }.into_any())
        }
        Some(Ok(SaveOutcome::Conflict { .. })) => Some(view! {
            <p class="form-error" role="alert" data-test="form-error">
                "Bài viết vừa được lưu một phiên bản mới hơn. Hãy tải lại trang rồi chọn lại."
            </p>
        }.into_any()),
        Some(Err(err)) => Some(view! { <p class="form-error" role="alert" data-test="form-error">{err.to_string()}</p> }.into_any()),
        None => None,
    }
    };
    let id = history.id;
    let current = history.version;
    let (from, to) = history.diff.as_ref().map_or((0, 0), |d| (d.from, d.to));
    let editable = history.stage != Stage::Trash;
    view! {
        <PageTitle text=format!("Lịch sử: {}", history.title)/>
        <Meta name="robots" content="noindex"/>
        <h1>"Lịch sử các phiên bản"</h1>
        <p>
            <a href=format!("/bai-viet/{}", history.slug)>{history.title.clone()}</a>
            " – phiên bản hiện tại: " {current} " (" {history.stage.label()} ")"
        </p>
        {result}
        <form method="get" action=format!("/quan-tri/bai-viet/{id}/lich-su")>
            <DataTable test="revisions"
                caption="Các phiên bản, mới nhất trước. Chọn hai phiên bản để so sánh."
                columns=["Phiên bản", "Thời điểm", "Người lưu", "Ghi chú", "So sánh từ", "đến", "Khôi phục"]
                rows=history.revisions row=move |r| {
                    let v = r.version;
                    view! {
                        <tr data-test="revision" data-version=v>
                            <td>{v}</td>
                            <td>{datetime_vn(&r.created_at)}</td>
                            <td>{r.author}</td>
                            <td>{r.note}</td>
                            <td><input type="radio" name="tu" value=v checked=v == from
                                aria-label=format!("So sánh từ phiên bản {v}")/></td>
                            <td><input type="radio" name="den" value=v checked=v == to
                                aria-label=format!("So sánh đến phiên bản {v}")/></td>
                            <td>
                                {(v != current && editable).then(|| view! {
                                    <button type="button" data-test=format!("restore-{v}")
                                        on:click=move |_| {
                                            restore.dispatch(RestoreRevision { id, version: v, base_version: current });
                                        }>
                                        "Khôi phục phiên bản " {v}
                                    </button>
                                })}
                            </td>
                        </tr>
                    }
                }/>
            <button type="submit" class="history-compare">"So sánh"</button>
        </form>
        {history.diff.map(|diff| view! {
            <section class="diff" aria-labelledby="diff-heading" data-test="diff">
                <h2 id="diff-heading">"Khác biệt từ phiên bản " {diff.from} " đến phiên bản " {diff.to}</h2>
                <p class="hint">"Dòng có dấu − (nền đỏ) đã bị bỏ; dòng có dấu + (nền xanh) được thêm vào."</p>
                <div class="diff__lines">
                    {diff.lines.into_iter().map(|line| match line.change {
                        '+' => view! { <ins class="diff__line diff__line--added"><span aria-hidden="true">"+ "</span>{line.text}</ins> }.into_any(),
                        '-' => view! { <del class="diff__line diff__line--removed"><span aria-hidden="true">"− "</span>{line.text}</del> }.into_any(),
                        _ => view! { <span class="diff__line">{line.text}</span> }.into_any(),
                    }).collect_view()}
                </div>
            </section>
        })}
    }
}
