use crate::components::page_meta::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::audit_log;
use crate::components::{error_view::loaded, pagination::Pagination};
use crate::format::datetime_vn;
use crate::model::AuditPage;

/// `/quan-tri/nhat-ky`: every change officials made, newest first, for admins.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(move || query.read().get("trang"), audit_log);
    loaded(page, |page| view! { <AuditTable page/> })
}

#[component]
fn AuditTable(page: AuditPage) -> impl IntoView {
    view! {
        <PageTitle text="Nhật ký thao tác"/>
        <h1>"Nhật ký thao tác"</h1>
        <div class="table-scroll">
            <table class="data-table" data-test="audit-log">
                <caption>"Ai đã thay đổi gì, khi nào, từ đâu (giờ Việt Nam)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Thời điểm"</th>
                        <th scope="col">"Người thực hiện"</th>
                        <th scope="col">"Thao tác"</th>
                        <th scope="col">"Đối tượng"</th>
                        <th scope="col">"Chi tiết"</th>
                        <th scope="col">"Địa chỉ IP"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.entries.into_iter().map(|entry| view! {
                        <tr data-test="audit-entry">
                            <td>{datetime_vn(&entry.at)}</td>
                            <td>{entry.username}</td>
                            <td>{entry.action}</td>
                            <td>{entry.target}</td>
                            <td>{entry.detail}</td>
                            <td>{entry.ip}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pagination page=page.page total_pages=page.total_pages base="/quan-tri/nhat-ky"/>
    }
}
