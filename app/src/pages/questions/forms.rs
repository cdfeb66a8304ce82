//! The citizens' two forms, sent by the browser itself (multipart for the question, which may
//! carry a file), so they work without JavaScript and add nothing to the wasm. What was typed
//! comes back in them after a refusal, escaped by `view!`.

use leptos::prelude::*;

use crate::model::questions::limits::{
    MAX_BODY_CHARS, MAX_CONTACT_CHARS, MAX_HAMLET_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS,
};
use crate::model::questions::{names, CitizenForm, Field, QuestionForm, TicketView, Typed};

/// A refusal's reason, above its form.
#[component]
pub fn FormError(#[prop(into)] error: String) -> impl IntoView {
    view! { <p class="form-error" role="alert" data-test="form-error">{error}</p> }
}

/// "(bắt buộc)" after a label.
fn required_mark() -> impl IntoView {
    view! { <span class="required">"(bắt buộc)"</span> }
}

/// A labelled one-line input, with its hint; `autocomplete`, `inputmode`, `required` as given.
#[allow(clippy::too_many_arguments)]
fn input(
    id: &'static str,
    label: &'static str,
    required: bool,
    hint: &'static str,
    value: String,
    max: usize,
    autocomplete: Option<&'static str>,
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-goi-y");
    let described = (!hint.is_empty()).then(|| hint_id.clone());
    view! {
        <label for=id>{label}{required.then(|| view! { " " {required_mark()} })}</label>
        {(!hint.is_empty()).then(|| view! { <span class="form-hint" id=hint_id>{hint}</span> })}
        <input id=id name=id value=value maxlength=max aria-describedby=described
            autocomplete=autocomplete inputmode=inputmode required=required/>
    }
}

/// Name, contact and hamlet: who is writing. `why`: what the contact is for.
fn sender_fields(typed: &Typed, why: &'static str) -> impl IntoView {
    view! {
        {input(names::NAME, "Họ và tên", true, "", typed.get(names::NAME).to_string(),
            MAX_NAME_CHARS, Some("name"), None)}
        {input(names::CONTACT, "Số điện thoại hoặc thư điện tử (không bắt buộc)", false, why,
            typed.get(names::CONTACT).to_string(), MAX_CONTACT_CHARS, Some("email"), Some("email"))}
        {input(names::HAMLET, "Thôn, xóm hoặc tổ dân phố", true, "",
            typed.get(names::HAMLET).to_string(), MAX_HAMLET_CHARS, None, None)}
    }
}

fn body_field(label: &'static str, typed: &Typed) -> impl IntoView {
    let hint_id = format!("{}-goi-y", names::BODY);
    view! {
        <label for=names::BODY>{label}" "{required_mark()}</label>
        <span class="form-hint" id=hint_id.clone()>{format!("Tối đa {MAX_BODY_CHARS} ký tự.")}</span>
        <textarea id=names::BODY name=names::BODY rows="8" maxlength=MAX_BODY_CHARS
            aria-describedby=hint_id required>{textarea_text(typed.get(names::BODY))}</textarea>
    }
}

/// The text of a `<textarea>`. tachys 0.2 writes a textarea's children into the server's HTML
/// as they are, like a `<script>`'s (leptos-rs/leptos#4819): typed text holding `</textarea>`
/// would end the element and become markup. So on the server the text is escaped here (the
/// test below holds it to once); in the browser it becomes a text node and needs none.
fn textarea_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    return crate::markup::escape(text);
    #[cfg(not(feature = "ssr"))]
    return text.to_string();
}

/// The ticket, the sum to answer and the field to leave empty.
fn guard_fields(ticket: TicketView) -> impl IntoView {
    let hint_id = format!("{}-goi-y", names::ANSWER);
    view! {
        <input type="hidden" name=names::TICKET value=ticket.token/>
        <div class="form-trap">
            <label for=names::TRAP>"Để trống ô này"</label>
            <input id=names::TRAP name=names::TRAP tabindex="-1" autocomplete="off"/>
        </div>
        <label for=names::ANSWER>{format!("Câu hỏi kiểm tra: {} ", ticket.question)}{required_mark()}</label>
        <span class="form-hint" id=hint_id.clone()>
            "Viết kết quả bằng chữ số, ví dụ 7. Câu hỏi này giúp chặn thư rác tự động."
        </span>
        <input id=names::ANSWER name=names::ANSWER inputmode="numeric" autocomplete="off"
            maxlength="3" aria-describedby=hint_id data-test="challenge"
            data-challenge=ticket.question required/>
    }
}

/// The question form, filled with what was typed, and the reason of a refusal above it.
#[component]
pub fn QuestionFormView(data: QuestionForm) -> impl IntoView {
    let QuestionForm {
        fields,
        form: CitizenForm {
            typed,
            ticket,
            error,
        },
        file_dropped,
    } = data;
    let chosen = typed.get(names::FIELD).to_string();
    let file_hint = format!("{}-goi-y", names::FILE);
    view! {
        {error.map(|error| view! { <FormError error/> })}
        <form class="form qa-form" method="post" action="/hoi-dap/gui-cau-hoi"
            enctype="multipart/form-data" data-test="question-form">
            <p class="form-hint">
                "Họ tên, số điện thoại và thư điện tử của bạn không được đăng công khai. Câu hỏi được trả lời trong 15 ngày làm việc."
            </p>
            {sender_fields(&typed, "Để cán bộ liên hệ khi cần; nếu là thư điện tử, bạn nhận thư báo khi có trả lời. Không đăng công khai.")}
            <label for=names::FIELD>"Lĩnh vực "{required_mark()}</label>
            <select id=names::FIELD name=names::FIELD required>
                <option value="">"— Chọn lĩnh vực —"</option>
                {field_options(fields, &chosen)}
            </select>
            {input(names::TITLE, "Tiêu đề câu hỏi", true, "Một câu ngắn nói rõ bạn hỏi về việc gì.",
                typed.get(names::TITLE).to_string(), MAX_TITLE_CHARS, None, None)}
            {body_field("Nội dung câu hỏi", &typed)}
            <label for=names::FILE>"Tệp kèm theo (không bắt buộc)"</label>
            <span class="form-hint" id=file_hint.clone()>
                "Một ảnh (JPG, PNG, GIF, WebP) hoặc một tệp PDF, tối đa 5 MB."
            </span>
            {file_dropped.then(|| view! {
                <span class="form-hint form-hint--warn">
                    "Tệp bạn đã chọn chưa được gửi: vui lòng chọn lại tệp."
                </span>
            })}
            <input id=names::FILE name=names::FILE type="file"
                accept="image/jpeg,image/png,image/gif,image/webp,application/pdf"
                aria-describedby=file_hint/>
            {guard_fields(ticket)}
            <button type="submit" data-test="send-question">"Gửi câu hỏi"</button>
        </form>
    }
}

/// The fields as options, `chosen` (a slug) selected.
pub fn field_options(fields: Vec<Field>, chosen: &str) -> impl IntoView {
    fields
        .into_iter()
        .map(|f| {
            let selected = f.slug == chosen;
            view! { <option value=f.slug selected=selected>{f.name}</option> }
        })
        .collect_view()
}

/// The form for a comment on the draft document `id`.
#[component]
pub fn CommentFormView(id: i64, form: CitizenForm) -> impl IntoView {
    let CitizenForm {
        typed,
        ticket,
        error,
    } = form;
    view! {
        {error.map(|error| view! { <FormError error/> })}
        <form class="form qa-form" method="post" action=format!("/van-ban/{id}/gop-y")
            data-test="comment-form">
            <p class="form-hint">
                "Họ tên, số điện thoại và thư điện tử của bạn không được đăng công khai."
            </p>
            {sender_fields(&typed, "Để cán bộ liên hệ khi cần làm rõ ý kiến của bạn. Không đăng công khai.")}
            {body_field("Nội dung góp ý", &typed)}
            {guard_fields(ticket)}
            <button type="submit" data-test="send-comment">"Gửi góp ý"</button>
        </form>
    }
}

/// Plain text with its line breaks, as paragraphs.
pub fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .map(|p| {
            let lines: Vec<String> = p.split('\n').map(str::to_string).collect();
            let last = lines.len().saturating_sub(1);
            let lines = lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| view! { {line}{(i < last).then(|| view! { <br/> })} })
                .collect_view();
            view! { <p>{lines}</p> }
        })
        .collect_view()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn html(view: impl FnOnce() -> AnyView) -> String {
        Owner::new().with(|| view().to_html())
    }

    #[test]
    fn what_was_typed_comes_back_escaped_once() {
        let hostile = "\"><script>alert(1)</script>";
        let typed = Typed(vec![
            (names::NAME.into(), hostile.into()),
            (names::BODY.into(), format!("</textarea>{hostile}")),
            (names::FIELD.into(), "dat-dai".into()),
        ]);
        let form = CitizenForm {
            typed,
            ticket: TicketView {
                token: "1.ab.cd".into(),
                question: "Bảy cộng hai bằng mấy?".into(),
            },
            error: Some(hostile.into()),
        };
        let data = QuestionForm {
            fields: vec![Field {
                id: 1,
                slug: "dat-dai".into(),
                name: "Đất <đai>".into(),
            }],
            form: form.clone(),
            file_dropped: true,
        };
        let page = html(|| view! { <QuestionFormView data/> }.into_any());
        assert!(!page.contains("<script>"), "{page}");
        assert_eq!(page.matches("</textarea>").count(), 1, "{page}");
        assert!(page.contains("&lt;/textarea&gt;"), "{page}");
        assert!(!page.contains("&amp;lt;"), "escaped twice: {page}");
        assert!(page.contains("Đất &lt;đai&gt;"), "{page}");
        assert!(page.contains("chọn lại tệp"));
        let comment = html(|| view! { <CommentFormView id=3 form/> }.into_any());
        assert!(comment.contains("action=\"/van-ban/3/gop-y\"") && !comment.contains("<script>"));
        assert_eq!(comment.matches("</textarea>").count(), 1, "{comment}");
    }

    #[test]
    fn text_keeps_its_paragraphs_and_lines() {
        let page = html(|| view! { <div>{paragraphs("a <b>\nc\n\nd")}</div> }.into_any());
        let page = page.replace("<!>", "");
        assert_eq!(page, "<div><p>a &lt;b&gt;<br>c</p><p>d</p></div>");
    }
}
