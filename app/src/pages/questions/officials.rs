//! What officials see of Hỏi đáp: the queue (with the drafts open for comments and, for admins,
//! the holidays), a question's page with the forms that move it on, and a draft's comments.
//! The forms are plain HTML posted to the server's handlers.

use leptos::prelude::*;

use super::forms::paragraphs;
use crate::format::count_vn;
use crate::model::questions::{
    Actions, Assign, CommentLine, DraftComments, DraftLine, HolidayLine, QuestionDetail,
    QuestionFile, QuestionStatus, Queue, QueueRow, QueueTab,
};

/// `/quan-tri/hoi-dap`'s content.
#[component]
pub fn QueueView(data: Queue) -> impl IntoView {
    let Queue {
        tab,
        editor,
        new,
        overdue,
        rows,
        drafts,
        holidays,
    } = data;
    let counts = format!(
        "{} câu hỏi {}, {} câu hỏi quá hạn. Thời hạn trả lời: 15 ngày làm việc kể từ ngày tiếp nhận.",
        count_vn(new),
        if editor { "mới" } else { "được giao cho bạn đang chờ trả lời" },
        count_vn(overdue)
    );
    let tabs = QueueTab::ALL
        .into_iter()
        .map(|t| {
            let current = (t == tab).then_some("page");
            view! { <li><a href=t.href() aria-current=current>{t.label()}</a></li> }
        })
        .collect_view();
    let table = if rows.is_empty() {
        view! {
            <p data-test="queue-empty">
                {format!("Không có câu hỏi nào ở mục “{}”.", tab.label())}
            </p>
        }
        .into_any()
    } else {
        let caption = format!("{}: {} câu hỏi", tab.label(), count_vn(rows.len() as i64));
        view! {
            <div class="table-scroll">
                <table class="data-table qa-queue" data-test="queue">
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Mã"</th>
                            <th scope="col">"Câu hỏi"</th>
                            <th scope="col">"Lĩnh vực"</th>
                            <th scope="col">"Ngày nhận"</th>
                            <th scope="col">"Hạn trả lời"</th>
                            <th scope="col">"Người xử lý"</th>
                            <th scope="col">"Tình trạng"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| view! { <QueueRowView row/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <p data-test="qa-counts">{counts}</p>
        <nav aria-label="Lọc câu hỏi">
            <ul class="stage-tabs">{tabs}</ul>
        </nav>
        {(!editor).then(|| view! {
            <p>"Danh sách chỉ có các câu hỏi được giao cho bạn; biên tập viên giao việc và đăng câu trả lời."</p>
        })}
        {table}
        <DraftsView drafts/>
        {holidays.map(|holidays| view! { <HolidaysView holidays/> })}
    }
}

#[component]
fn QueueRowView(row: QueueRow) -> impl IntoView {
    view! {
        <tr class=("qa-overdue", row.overdue) data-test="queue-row">
            <td>{row.code}</td>
            <td>
                <a href=format!("/quan-tri/hoi-dap/{}", row.id)>{row.title}</a>
                <br/>
                <small>{row.hamlet}</small>
            </td>
            <td>{row.field}</td>
            <td>{row.received}</td>
            <td>{row.due}</td>
            <td>{row.assignee.unwrap_or_else(|| "—".into())}</td>
            <td data-test="days-left">{row.state}</td>
        </tr>
    }
}

/// The drafts open for comments or closed lately.
#[component]
fn DraftsView(drafts: Vec<DraftLine>) -> impl IntoView {
    let list = if drafts.is_empty() {
        view! {
            <p>"Không có dự thảo nào đang lấy ý kiến. Để lấy ý kiến, mở văn bản trong mục Văn bản và đặt thời hạn góp ý."</p>
        }
        .into_any()
    } else {
        view! {
            <ul>
                {drafts
                    .into_iter()
                    .map(|d| {
                        let tail = format!(": {} góp ý, hạn {}", count_vn(d.comments), d.until);
                        view! {
                            <li><a href=format!("/quan-tri/gop-y/{}", d.id)>{d.title}</a>{tail}</li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="du-thao" data-test="drafts">
            <h2 id="du-thao">"Góp ý dự thảo"</h2>
            {list}
        </section>
    }
}

/// The holidays from today on, for admins, with a form to add one and a button to remove each.
#[component]
fn HolidaysView(holidays: Vec<HolidayLine>) -> impl IntoView {
    let list = if holidays.is_empty() {
        view! { <p>"Chưa có ngày nghỉ nào từ hôm nay trở đi."</p> }.into_any()
    } else {
        view! {
            <ul class="qa-holidays__list">
                {holidays
                    .into_iter()
                    .map(|h| {
                        let label = format!("Xóa ngày nghỉ {}", h.shown);
                        view! {
                            <li>
                                <span>{format!("{}: {}", h.shown, h.name)}</span>
                                " "
                                <form method="post" action="/quan-tri/hoi-dap" class="inline-form">
                                    <input type="hidden" name="thao-tac" value="xoa-ngay-nghi"/>
                                    <input type="hidden" name="ngay" value=h.day/>
                                    <button type="submit" class="link-button" aria-label=label>
                                        "Xóa"
                                    </button>
                                </form>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="qa-holidays" aria-labelledby="ngay-nghi" data-test="holidays">
            <h2 id="ngay-nghi">"Ngày nghỉ lễ, Tết"</h2>
            <p>
                "Thời hạn trả lời là 15 ngày làm việc, không tính thứ Bảy, Chủ nhật và các ngày dưới đây. Khi Chính phủ công bố lịch nghỉ Tết và ngày nghỉ bù của năm sau, hãy thêm vào đây."
            </p>
            {list}
            <form method="post" action="/quan-tri/hoi-dap" class="form form--inline"
                data-test="holiday-form">
                <input type="hidden" name="thao-tac" value="them-ngay-nghi"/>
                <label for="holiday-day">"Ngày"</label>
                <input id="holiday-day" type="date" name="ngay" required/>
                <label for="holiday-name">"Tên ngày nghỉ"</label>
                <input id="holiday-name" name="ten" maxlength="100" required/>
                <button type="submit">"Thêm ngày nghỉ"</button>
            </form>
        </section>
    }
}

/// `/quan-tri/hoi-dap/<id>`'s content.
#[component]
pub fn QuestionDetailView(data: QuestionDetail) -> impl IntoView {
    let QuestionDetail {
        id,
        code,
        status,
        label,
        name,
        contact,
        hamlet,
        field,
        received,
        due,
        deadline,
        assignee,
        file,
        body,
        answer_html,
        decline_reason,
        actions,
    } = data;
    let deadline = deadline.map(|(overdue, text)| {
        view! {
            " "
            <span class=if overdue { "qa-overdue" } else { "" } data-test="days-left">
                {format!("({text})")}
            </span>
        }
    });
    let file = match file {
        QuestionFile::None => view! { "Không có" }.into_any(),
        QuestionFile::Missing => view! { "—" }.into_any(),
        QuestionFile::File {
            url,
            name,
            description,
        } => view! { <a href=url>{name}</a>{format!(" ({description})")} }.into_any(),
    };
    let contact = if contact.is_empty() {
        "Không để lại".to_string()
    } else {
        contact
    };
    let declined = decline_reason.clone();
    view! {
        <p><a href="/quan-tri/hoi-dap">"← Danh sách câu hỏi"</a></p>
        <dl class="qa-facts" data-test="question">
            <dt>"Mã tra cứu"</dt><dd>{code}</dd>
            <dt>"Tình trạng"</dt><dd data-test="status">{label}</dd>
            <dt>"Người hỏi"</dt><dd>{name}</dd>
            <dt>"Liên hệ"</dt><dd>{contact}</dd>
            <dt>"Thôn, xóm"</dt><dd>{hamlet}</dd>
            <dt>"Lĩnh vực"</dt><dd>{field}</dd>
            <dt>"Ngày nhận"</dt><dd>{received}</dd>
            <dt>"Hạn trả lời"</dt><dd>{due}{deadline}</dd>
            <dt>"Người xử lý"</dt><dd>{assignee.unwrap_or_else(|| "Chưa giao".into())}</dd>
            <dt>"Tệp kèm theo"</dt><dd>{file}</dd>
        </dl>
        <section class="qa-question" aria-labelledby="cau-hoi-goc">
            <h2 id="cau-hoi-goc">"Nội dung câu hỏi"</h2>
            {paragraphs(&body)}
        </section>
        {answer_html.map(|answer| view! {
            <section class="qa-answer" aria-labelledby="tra-loi">
                <h2 id="tra-loi">"Câu trả lời"</h2>
                // The answer's post body, sanitised by the allow-list when it was saved.
                <div inner_html=answer></div>
            </section>
        })}
        <h2>"Xử lý"</h2>
        {if status == QuestionStatus::Declined {
            view! { <p>{format!("Không đăng. Lý do: {declined}")}</p> }.into_any()
        } else {
            view! { <ActionsView id actions/> }.into_any()
        }}
    }
}

/// A step on question `id`: a form posted to its page with `thao-tac` = `name`.
fn action(id: i64, name: &'static str, test: &'static str, inner: AnyView) -> impl IntoView {
    view! {
        <form method="post" action=format!("/quan-tri/hoi-dap/{id}") class="form qa-action"
            data-test=test>
            <input type="hidden" name="thao-tac" value=name/>
            {inner}
        </form>
    }
}

#[component]
fn ActionsView(id: i64, actions: Actions) -> impl IntoView {
    let Actions {
        assign,
        answer,
        public_name,
        mark_answered,
        publish,
        decline,
    } = actions;
    let assign = assign.map(|Assign { officials, current }| {
        let options = officials
            .into_iter()
            .map(|(uid, name)| {
                view! { <option value=uid.to_string() selected=current == Some(uid)>{name}</option> }
            })
            .collect_view();
        action(
            id,
            "giao",
            "assign",
            view! {
                <label for="nguoi-xu-ly">"Giao cho cán bộ"</label>
                <select id="nguoi-xu-ly" name="can-bo" required>
                    {current.is_none().then(|| view! { <option value="">"— Chọn cán bộ —"</option> })}
                    {options}
                </select>
                <button type="submit">"Giao xử lý"</button>
            }
            .into_any(),
        )
    });
    let answer = answer.map(|post| match post {
        Some(slug) => view! {
            <p>
                <a class="button" href=format!("/bai-viet/{}?sua=1", crate::format::path_segment(&slug))
                    data-test="edit-answer">"Sửa câu trả lời"</a>
            </p>
        }
        .into_any(),
        None => action(
            id,
            "soan",
            "start-answer",
            view! {
                <p class="form-hint">
                    "Câu trả lời được soạn như một bài viết của chuyên mục Hỏi đáp: tiêu đề và phần tóm tắt là câu hỏi (hãy bỏ thông tin cá nhân trước khi đăng), nội dung là câu trả lời."
                </p>
                <button type="submit" data-test="write-answer">"Soạn câu trả lời"</button>
            }
            .into_any(),
        )
        .into_any(),
    });
    let public_name = public_name.map(|suggested| {
        action(
            id,
            "ten-hien-thi",
            "public-name",
            view! {
                <label for="ten-hien-thi">"Tên người hỏi khi đăng"</label>
                <span class="form-hint" id="ten-hien-thi-goi-y">
                    "Không đăng họ tên đầy đủ; ví dụ: chữ cái đầu và thôn."
                </span>
                <input id="ten-hien-thi" name="ten" value=suggested maxlength="100"
                    aria-describedby="ten-hien-thi-goi-y"/>
                <button type="submit">"Lưu tên hiển thị"</button>
            }
            .into_any(),
        )
    });
    let mark_answered = mark_answered.then(|| {
        action(
            id,
            "da-tra-loi",
            "mark-answered",
            view! {
                <button type="submit" data-test="mark-answered">
                    "Gửi câu trả lời cho người hỏi (chưa đăng)"
                </button>
            }
            .into_any(),
        )
    });
    let publish = publish.then(|| {
        action(
            id,
            "dang",
            "publish",
            view! {
                <button type="submit" data-test="publish-answer">"Trả lời và đăng lên cổng"</button>
            }
            .into_any(),
        )
    });
    let decline = decline.then(|| {
        action(
            id,
            "khong-dang",
            "decline",
            view! {
                <label for="ly-do">"Lý do không đăng (người hỏi đọc được khi tra cứu)"</label>
                <textarea id="ly-do" name="ly-do" rows="3" maxlength="1000" required></textarea>
                <button type="submit" data-test="decline">"Không đăng câu hỏi này"</button>
            }
            .into_any(),
        )
    });
    view! { {assign}{answer}{public_name}{mark_answered}{publish}{decline} }
}

/// `/quan-tri/gop-y/<id>`'s content.
#[component]
pub fn DraftCommentsView(data: DraftComments) -> impl IntoView {
    let DraftComments {
        document_id,
        until,
        comments,
    } = data;
    let count = format!(
        "{} góp ý.{}",
        count_vn(comments.len() as i64),
        until
            .map(|u| format!(" Thời hạn góp ý: đến hết ngày {u}."))
            .unwrap_or_default()
    );
    view! {
        <p>
            <a href=format!("/van-ban/{document_id}")>"← Văn bản dự thảo"</a>
            " · "
            <a href="/quan-tri/hoi-dap">"Hỏi đáp và góp ý"</a>
        </p>
        <p data-test="comment-count">{count}</p>
        <ol class="comment-list" data-test="comments">
            {comments.into_iter().map(|c| view! { <CommentView comment=c/> }).collect_view()}
        </ol>
    }
}

#[component]
fn CommentView(comment: CommentLine) -> impl IntoView {
    let CommentLine {
        name,
        contact,
        hamlet,
        when,
        body,
    } = comment;
    let contact = if contact.is_empty() {
        String::new()
    } else {
        format!(" · {contact}")
    };
    view! {
        <li class="comment">
            <p class="qa-meta">
                <strong>{name.unwrap_or_else(|| "Người góp ý".into())}</strong>
                {format!(" ({hamlet}){contact} · {when}")}
            </p>
            {paragraphs(&body)}
        </li>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn only_an_overdue_row_is_marked() {
        let row = |overdue| QueueRow {
            id: 7,
            code: "K7PM-3QXA".into(),
            title: "<b>Hỏi</b>".into(),
            hamlet: "thôn Đông".into(),
            field: "Đất đai".into(),
            received: "01/12/2026".into(),
            due: "22/12/2026".into(),
            assignee: None,
            overdue,
            state: "Còn 3 ngày làm việc".into(),
        };
        let html =
            |overdue| Owner::new().with(|| view! { <QueueRowView row=row(overdue)/> }.to_html());
        assert!(
            html(true).starts_with("<tr data-test=\"queue-row\" class=\"qa-overdue\">"),
            "{}",
            html(true)
        );
        // (A row on time gets an empty `class`: the renderer's, and nothing a reader sees.)
        assert!(!html(false).contains("qa-overdue"), "{}", html(false));
        assert!(html(false).contains("&lt;b&gt;Hỏi&lt;/b&gt;"));
    }
}
