use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::documents::{document_editor, missing_documents};
use crate::components::document_form::DocumentForm;
use crate::components::official::{focus_opener, use_official};
use crate::components::{
    data_table::DataTable,
    error_view::loaded,
    page_meta::PageTitle,
    reading::{ReadingBody, ReadingHead, ReadingPage},
};
use crate::format::{count_vn, date_vn, query_value};
use crate::model::{DocumentWithoutFile, MissingDocuments, MissingReference, Reading, Role};
#[cfg(feature = "ssr")]
use crate::pages::questions::DocumentCommentsView;
#[cfg(feature = "ssr")]
use crate::{
    components::{breadcrumbs::Breadcrumbs, pagination::Pagination, reading::made},
    model::{DocumentList, DocumentPage, DocumentRow, Link},
};

/// The query parameters of the documents page, in order.
const PARAMS: [&str; 5] = ["loai", "co_quan", "linh_vuc", "nam", "q"];

/// The documents list at `/van-ban`: newest first, filtered by kind, issuing body, field and
/// year, searched by number/symbol or words of the summary. A GET form: it works without
/// JavaScript.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || {
            let query = query.read();
            let [kind, issuer, field, year, q] = PARAMS.map(|p| query.get(p));
            (kind, issuer, field, year, q, query.get("trang"))
        },
        |(kind, issuer, field, year, q, page)| read_documents(kind, issuer, field, year, q, page),
    );
    loaded(list, |page| view! { <ReadingPage page/> })
}

/// The documents list, made on the server; editors see the way to add one.
#[server(endpoint = "read/documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_documents(
    loai: Option<String>,
    co_quan: Option<String>,
    linh_vuc: Option<String>,
    nam: Option<String>,
    q: Option<String>,
    trang: Option<String>,
) -> Result<Reading, crate::error::AppError> {
    let list =
        crate::api::documents::list_documents(loai, co_quan, linh_vuc, nam, q, trang).await?;
    let editor = crate::server::accounts::auth::current_official()
        .is_some_and(|official| official.can(Role::Editor));
    Ok(render_list(list, editor))
}

/// The list, with its filters (a GET form, which the router takes: `components::reading`) and
/// for editors the way to add one.
#[cfg(feature = "ssr")]
pub fn render_list(list: DocumentList, editor: bool) -> Reading {
    let current = list.chosen.clone();
    let [kind, issuer, field, year, q] = current.clone();
    let mut base = String::from("/van-ban");
    for (name, value) in PARAMS.iter().zip(current.iter()) {
        if !value.is_empty() {
            base.push(if base.contains('?') { '&' } else { '?' });
            base.push_str(&format!("{name}={}", query_value(value)));
        }
    }
    let filtered = current.iter().any(|v| !v.is_empty());
    let summary = if filtered {
        format!("{} văn bản phù hợp.", count_vn(list.total))
    } else {
        format!("Có {} văn bản.", count_vn(list.total))
    };
    let select = |id: &'static str,
                  label: &'static str,
                  all: &'static str,
                  options: Vec<String>,
                  chosen: String| {
        view! {
            <div class="doc-filters__field">
                <label for=id>{label}</label>
                <select id=id name=id>
                    <option value="">{all}</option>
                    {options.into_iter().map(|o| {
                        let selected = o == chosen;
                        let value = o.clone();
                        view! { <option value=value selected=selected>{o}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let years = list.filters.years.iter().map(i64::to_string).collect();
    let html = made(|| {
        view! {
            <Breadcrumbs trail=Vec::new() current="Văn bản"/>
            <h1 class="section-title">"Văn bản"</h1>
            {editor.then(|| view! {
                <p class="editor-tools"><a href="/van-ban/moi" data-test="new-document">"Thêm văn bản"</a></p>
            })}
            <form method="get" action="/van-ban" class="doc-filters" role="search" aria-label="Tra cứu văn bản">
                <div class="doc-filters__field doc-filters__query">
                    <label for="q">"Số ký hiệu hoặc trích yếu"</label>
                    <input type="search" id="q" name="q" value=q maxlength="200" placeholder="ví dụ: 19/KH-UBND hoặc papi"/>
                </div>
                {select("loai", "Loại văn bản", "Tất cả các loại", list.filters.kinds, kind)}
                {select("co_quan", "Cơ quan ban hành", "Tất cả cơ quan", list.filters.issuers, issuer)}
                {select("linh_vuc", "Lĩnh vực", "Tất cả lĩnh vực", list.filters.fields, field)}
                {select("nam", "Năm ban hành", "Tất cả các năm", years, year)}
                <div class="doc-filters__actions">
                    <button type="submit">"Tra cứu"</button>
                    {filtered.then(|| view! { <a href="/van-ban">"Bỏ lọc"</a> })}
                </div>
            </form>
            <p class="search-summary" role="status" data-test="documents-summary">{summary}</p>
            <DataTable test="documents" class="doc-table" region="ds-van-ban"
                caption="Danh sách văn bản, mới nhất trước"
                columns=["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành", "Hiệu lực"]
                rows=list.documents row=document_row
                empty=|| view! { <p class="empty-list">"Không có văn bản nào phù hợp."</p> }/>
            <Pagination page=list.page total_pages=list.total_pages base/>
        }
    });
    Reading::new(
        "Văn bản",
        "Văn bản chỉ đạo, điều hành: tra cứu theo loại, cơ quan ban hành, lĩnh vực, năm và số ký hiệu.",
        "/van-ban",
        html,
    )
}

/// A document's row in the list: its number and summary link to its page.
#[cfg(feature = "ssr")]
fn document_row(row: DocumentRow) -> impl IntoView {
    let href = format!("/van-ban/{}", row.id);
    view! {
        <tr data-test="document-row">
            // The labels head each field when a narrow screen shows the row as a card.
            <td data-label="Số ký hiệu"><a href=href.clone()>{row.number}</a></td>
            <td data-label="Ngày ban hành">{date_vn(&row.issued_on)}</td>
            <td class="doc-table__summary" data-label="Trích yếu"><a href=href>{row.kind} " " {row.summary}</a></td>
            <td data-label="Cơ quan ban hành">{row.issuer}</td>
            <td data-label="Hiệu lực">{if row.expired { "Hết hiệu lực" } else { "Còn hiệu lực" }}</td>
        </tr>
    }
}

/// A document at `/van-ban/:id`: its fields, validity, related documents, files and the posts
/// that cite it.
#[component]
pub fn DocumentPageView() -> impl IntoView {
    let params = use_params_map();
    let document = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        read_document,
    );
    loaded(document, |(id, page)| view! { <DocumentView id page/> })
}

/// The document as made on the server, under the editors' tools.
#[component]
fn DocumentView(id: i64, page: Reading) -> impl IntoView {
    let editing = RwSignal::new(false);
    // "Hủy" closes the form and gives the keyboard back to the button that opened it.
    let close = Callback::new(move |()| {
        editing.set(false);
        focus_opener("#sua-van-ban");
    });
    let tools = use_official().filter(|o| o.can(Role::Editor)).map(|_| {
        view! {
            <div class="editor-tools" data-test="editor-tools">
                <button type="button" id="sua-van-ban" data-test="edit-document" on:click=move |_| editing.set(true)
                    disabled=move || editing.get()>"Sửa văn bản"</button>
            </div>
            {move || editing.get().then(|| view! { <DocumentEditorLoader id=Some(id) on_cancel=close/> })}
        }
    });
    let html = page.html.clone();
    view! {
        <ReadingHead page/>
        {tools}
        <ReadingBody html/>
    }
}

/// A document's fields, validity, related documents, files, the posts that cite it and its
/// comments (a draft's).
/// A document, made on the server, and its id for the editors' form.
#[server(endpoint = "read/document", input = leptos::server_fn::codec::GetUrl)]
pub async fn read_document(id: String) -> Result<(i64, Reading), crate::error::AppError> {
    let document = crate::api::documents::open_document(id).await?;
    let id = document.summary.id;
    Ok((id, render_document(document)))
}

#[cfg(feature = "ssr")]
pub fn render_document(document: DocumentPage) -> Reading {
    let row = document.summary;
    let title = format!("{} số {}", row.kind, row.number);
    let path = format!("/van-ban/{}", row.id);
    let validity = match (&document.expires_on, row.expired) {
        (Some(date), true) => format!("Hết hiệu lực từ {}", date_vn(date)),
        (_, true) => "Hết hiệu lực (đã được thay thế)".to_string(),
        (Some(date), false) => format!("Còn hiệu lực (đến {})", date_vn(date)),
        (None, false) => "Còn hiệu lực".to_string(),
    };
    let unknown = || "Chưa cập nhật".to_string();
    let or_unknown = |v: String| if v.is_empty() { unknown() } else { v };
    let links = |links: Vec<Link>| {
        links
            .into_iter()
            .map(|l| view! { <li><a href=l.href>{l.label}</a></li> })
            .collect_view()
    };
    let trail = vec![Link {
        label: "Văn bản".into(),
        href: "/van-ban".into(),
    }];
    let description = row.summary.clone();
    let date = Some(
        row.issued_on
            .midnight()
            .assume_offset(crate::format::VIETNAM),
    );
    let html = made(|| {
        view! {
            <Breadcrumbs trail current=title.clone()/>
            <article class="document" data-test="document">
                <h1 class="post__title">{title.clone()}</h1>
                <p class="post__lead">{row.summary.clone()}</p>
                <dl class="doc-fields">
                    <dt>"Số ký hiệu"</dt><dd>{row.number}</dd>
                    <dt>"Loại văn bản"</dt><dd>{row.kind}</dd>
                    <dt>"Ngày ban hành"</dt><dd>{date_vn(&row.issued_on)}</dd>
                    <dt>"Ngày có hiệu lực"</dt><dd>{document.effective_on.map(|d| date_vn(&d)).unwrap_or_else(unknown)}</dd>
                    <dt>"Tình trạng hiệu lực"</dt><dd data-test="validity">{validity}</dd>
                    <dt>"Cơ quan ban hành"</dt><dd>{row.issuer}</dd>
                    <dt>"Người ký"</dt><dd>{or_unknown(document.signer)}</dd>
                    <dt>"Lĩnh vực"</dt><dd>{or_unknown(document.field)}</dd>
                    <dt>"Trích yếu"</dt><dd>{row.summary}</dd>
                </dl>
                {(!document.replaces.is_empty()).then(|| view! {
                    <h2>"Thay thế văn bản"</h2><ul>{links(document.replaces)}</ul>
                })}
                {(!document.replaced_by.is_empty()).then(|| view! {
                    <h2>"Được thay thế bởi"</h2><ul>{links(document.replaced_by)}</ul>
                })}
                <h2>"Toàn văn"</h2>
                {if document.files.is_empty() {
                    view! { <p>"Chưa có tệp toàn văn trên cổng."</p> }.into_any()
                } else {
                    view! {
                        <ul data-test="doc-file-links">
                            {document.files.into_iter().map(|f| view! {
                                <li><a href=f.url>{f.name}</a> " (" {f.description} ")"</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2>"Bài viết nhắc đến văn bản này"</h2>
                {if document.cited_by.is_empty() {
                    view! { <p>"Chưa có bài viết nào."</p> }.into_any()
                } else {
                    view! { <ul data-test="cited-by">{links(document.cited_by)}</ul> }.into_any()
                }}
                {document.comments.map(|data| view! {
                    <div><DocumentCommentsView data/></div>
                })}
            </article>
        }
    });
    Reading {
        date,
        ..Reading::new(title, description, path, html)
    }
}

/// Loads the document as stored in the browser (editors) and shows it in the documents form.
#[component]
fn DocumentEditorLoader(id: Option<i64>, on_cancel: Callback<()>) -> impl IntoView {
    let data = LocalResource::new(move || document_editor(id, None, None, None));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Đang mở biểu mẫu…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(editor) => view! { <DocumentForm editor on_cancel in_place=true/> }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/van-ban/moi?loai=&so=&ngay=`: a new document (editors), prefilled from the list of
/// documents posts cite that the portal does not have.
#[component]
pub fn NewDocumentPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new_blocking(
        move || {
            let q = query.read();
            (q.get("loai"), q.get("so"), q.get("ngay"))
        },
        |(loai, so, ngay)| document_editor(None, loai, so, ngay),
    );
    loaded(data, |editor| {
        // "Hủy" leaves for the documents list.
        let navigate = use_navigate();
        let on_cancel = Callback::new(move |()| navigate("/van-ban", Default::default()));
        view! {
            <PageTitle text="Thêm văn bản"/>
            <h1>"Thêm văn bản"</h1>
            <DocumentForm editor on_cancel/>
        }
    })
}

/// `/quan-tri/van-ban-chua-co`: the documents posts cite that the portal does not have yet.
#[component]
pub fn MissingDocumentsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| missing_documents());
    loaded(data, |missing| view! { <MissingDocuments missing/> })
}

#[component]
fn MissingDocuments(missing: MissingDocuments) -> impl IntoView {
    view! {
        <PageTitle text="Văn bản chưa có trên cổng"/>
        <h1>"Văn bản chưa có trên cổng"</h1>
        <p>"Các văn bản được nhắc đến trong bài viết nhưng chưa có trên cổng. Khi văn bản được thêm, chỗ nhắc đến trong bài viết tự trở thành liên kết."</p>
        <DataTable test="missing-documents" caption="Văn bản được nhắc đến nhiều nhất trước"
            columns=["Văn bản", "Số bài nhắc đến", "Bài viết", "Thêm"]
            rows=missing.cited row=missing_row
            empty=|| view! { <p data-test="no-missing">"Mọi văn bản được nhắc đến đều đã có trên cổng."</p> }/>
        <h2 id="chua-co-toan-van">"Văn bản chưa có tệp toàn văn"</h2>
        <p>"Các văn bản đã có trên cổng nhưng chưa có tệp: người dân chưa đọc được toàn văn. Khi văn bản có tệp, chỗ nhắc đến trong bài viết dẫn thẳng tới tệp."</p>
        <DataTable test="documents-without-files" caption="Văn bản được nhắc đến nhiều nhất trước, rồi văn bản mới nhất"
            columns=["Văn bản", "Ngày ban hành", "Trích yếu", "Số bài nhắc đến", "Tải tệp lên"]
            rows=missing.without_files row=without_file_row
            empty=|| view! { <p data-test="no-without-files">"Mọi văn bản trên cổng đều đã có tệp toàn văn."</p> }/>
    }
}

/// A document without a file, with a link to its page, where editors add the file.
fn without_file_row(d: DocumentWithoutFile) -> impl IntoView {
    let label = format!("{} số {}", d.kind, d.number);
    view! {
        <tr data-test="document-without-file">
            <td>{label}</td>
            <td>{date_vn(&d.issued_on)}</td>
            <td>{d.summary}</td>
            <td>{count_vn(d.cited_by)}</td>
            <td><a href=format!("/van-ban/{}", d.id) data-test="add-file">"Mở văn bản để thêm tệp"</a></td>
        </tr>
    }
}

/// A document cited but missing, with the posts that cite it and a link to add it prefilled.
fn missing_row(m: MissingReference) -> impl IntoView {
    let mut href = format!(
        "/van-ban/moi?loai={}&so={}",
        query_value(&m.kind),
        query_value(&m.number)
    );
    if let Some(date) = &m.issued_on {
        href.push_str(&format!("&ngay={date}"));
    }
    view! {
        <tr data-test="missing-document">
            <td>{m.written}</td>
            <td>{count_vn(m.count)}</td>
            <td>
                <ul>
                    {m.posts.into_iter().map(|p| view! { <li><a href=p.href>{p.label}</a></li> }).collect_view()}
                </ul>
            </td>
            <td><a href=href data-test="add-missing">"Thêm văn bản này"</a></td>
        </tr>
    }
}
