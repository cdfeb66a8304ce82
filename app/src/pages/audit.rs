use crate::components::page_meta::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::audit_log;
use crate::components::{data_table::DataTable, error_view::loaded, pagination::Pagination};
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
        <DataTable test="audit-log" caption="Ai đã thay đổi gì, khi nào, từ đâu (giờ Việt Nam)"
            columns=["Thời điểm", "Người thực hiện", "Thao tác", "Đối tượng", "Chi tiết", "Địa chỉ IP"]
            rows=page.entries row=|entry| view! {
                <tr data-test="audit-entry">
                    <td>{datetime_vn(&entry.at)}</td>
                    <td>{entry.username}</td>
                    <td>{entry.action}</td>
                    <td>{entry.target}</td>
                    <td>{entry.detail}</td>
                    <td>{entry.ip}</td>
                </tr>
            }/>
        <Pagination page=page.page total_pages=page.total_pages base="/quan-tri/nhat-ky"/>
    }
}
