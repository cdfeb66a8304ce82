//! The citizens' two forms, made on the server as plain HTML: they are sent by the browser
//! itself (multipart for the question, which may carry a file), so they work without
//! JavaScript and add nothing to the wasm. Everything typed is escaped where it is written back.

use super::intake::{
    names, Ticket, Typed, MAX_BODY_CHARS, MAX_CONTACT_CHARS, MAX_HAMLET_CHARS, MAX_NAME_CHARS,
    MAX_TITLE_CHARS,
};
use crate::markup::escape;

/// A field of the question form's list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Field {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// Plain text with its line breaks, as HTML paragraphs.
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

fn error_html(error: Option<&str>) -> String {
    error
        .map(|e| {
            format!(
                "<p class=\"form-error\" role=\"alert\" data-test=\"form-error\">{}</p>",
                escape(e)
            )
        })
        .unwrap_or_default()
}

fn input(id: &str, label: &str, hint: &str, value: &str, max: usize, extra: &str) -> String {
    let hint_html = if hint.is_empty() {
        String::new()
    } else {
        format!("<span class=\"form-hint\" id=\"{id}-goi-y\">{hint}</span>")
    };
    let described = if hint.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{id}-goi-y\"")
    };
    format!(
        "<label for=\"{id}\">{label}</label>{hint_html}\
         <input id=\"{id}\" name=\"{id}\" value=\"{}\" maxlength=\"{max}\"{described}{extra}>",
        escape(value)
    )
}

/// Name, contact and hamlet: who is writing. `why`: what the contact is for.
fn sender_fields(typed: &Typed, why: &str) -> String {
    [
        input(
            names::NAME,
            "Họ và tên <span class=\"required\">(bắt buộc)</span>",
            "",
            typed.get(names::NAME),
            MAX_NAME_CHARS,
            " autocomplete=\"name\" required",
        ),
        input(
            names::CONTACT,
            "Số điện thoại hoặc thư điện tử (không bắt buộc)",
            why,
            typed.get(names::CONTACT),
            MAX_CONTACT_CHARS,
            " autocomplete=\"email\" inputmode=\"email\"",
        ),
        input(
            names::HAMLET,
            "Thôn, xóm hoặc tổ dân phố <span class=\"required\">(bắt buộc)</span>",
            "",
            typed.get(names::HAMLET),
            MAX_HAMLET_CHARS,
            " required",
        ),
    ]
    .concat()
}

fn body_field(label: &str, typed: &Typed) -> String {
    format!(
        "<label for=\"{id}\">{label} <span class=\"required\">(bắt buộc)</span></label>\
         <span class=\"form-hint\" id=\"{id}-goi-y\">Tối đa {MAX_BODY_CHARS} ký tự.</span>\
         <textarea id=\"{id}\" name=\"{id}\" rows=\"8\" maxlength=\"{MAX_BODY_CHARS}\" aria-describedby=\"{id}-goi-y\" required>{}</textarea>",
        escape(typed.get(names::BODY)),
        id = names::BODY,
    )
}

/// The ticket, the sum to answer and the field to leave empty.
fn guard_fields(ticket: &Ticket) -> String {
    format!(
        "<input type=\"hidden\" name=\"{ticket_name}\" value=\"{token}\">\
         <div class=\"form-trap\"><label for=\"{trap}\">Để trống ô này</label>\
         <input id=\"{trap}\" name=\"{trap}\" tabindex=\"-1\" autocomplete=\"off\"></div>\
         <label for=\"{answer}\">Câu hỏi kiểm tra: {question} <span class=\"required\">(bắt buộc)</span></label>\
         <span class=\"form-hint\" id=\"{answer}-goi-y\">Viết kết quả bằng chữ số, ví dụ 7. Câu hỏi này giúp chặn thư rác tự động.</span>\
         <input id=\"{answer}\" name=\"{answer}\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"3\" \
         aria-describedby=\"{answer}-goi-y\" data-test=\"challenge\" data-challenge=\"{question}\" required>",
        ticket_name = names::TICKET,
        token = escape(&ticket.token),
        trap = names::TRAP,
        answer = names::ANSWER,
        question = escape(&ticket.question()),
    )
}

/// The question form, filled with what was typed, and the reason of a refusal above it.
/// `file_dropped`: a file was sent with a refused form and must be chosen again.
pub fn question_form(
    fields: &[Field],
    typed: &Typed,
    ticket: &Ticket,
    error: Option<&str>,
    file_dropped: bool,
) -> String {
    let chosen = typed.get(names::FIELD);
    let mut options = String::from("<option value=\"\">— Chọn lĩnh vực —</option>");
    for field in fields {
        let selected = if field.slug == chosen {
            " selected"
        } else {
            ""
        };
        options.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            escape(&field.slug),
            escape(&field.name)
        ));
    }
    let file_note = if file_dropped {
        "<span class=\"form-hint form-hint--warn\">Tệp bạn đã chọn chưa được gửi: vui lòng chọn lại tệp.</span>"
    } else {
        ""
    };
    format!(
        "{error}<form class=\"form qa-form\" method=\"post\" action=\"/hoi-dap/gui-cau-hoi\" \
         enctype=\"multipart/form-data\" data-test=\"question-form\">\
         <p class=\"form-hint\">Họ tên, số điện thoại và thư điện tử của bạn không được đăng công khai. \
         Câu hỏi được trả lời trong 15 ngày làm việc.</p>\
         {sender}\
         <label for=\"{field}\">Lĩnh vực <span class=\"required\">(bắt buộc)</span></label>\
         <select id=\"{field}\" name=\"{field}\" required>{options}</select>\
         {title}\
         {body}\
         <label for=\"{file}\">Tệp kèm theo (không bắt buộc)</label>\
         <span class=\"form-hint\" id=\"{file}-goi-y\">Một ảnh (JPG, PNG, GIF, WebP) hoặc một tệp PDF, tối đa 5 MB.</span>{file_note}\
         <input id=\"{file}\" name=\"{file}\" type=\"file\" accept=\"image/jpeg,image/png,image/gif,image/webp,application/pdf\" aria-describedby=\"{file}-goi-y\">\
         {guard}\
         <button type=\"submit\" data-test=\"send-question\">Gửi câu hỏi</button></form>",
        error = error_html(error),
        sender = sender_fields(
            typed,
            "Để cán bộ liên hệ khi cần; nếu là thư điện tử, bạn nhận thư báo khi có trả lời. Không đăng công khai.",
        ),
        field = names::FIELD,
        title = input(
            names::TITLE,
            "Tiêu đề câu hỏi <span class=\"required\">(bắt buộc)</span>",
            "Một câu ngắn nói rõ bạn hỏi về việc gì.",
            typed.get(names::TITLE),
            MAX_TITLE_CHARS,
            " required",
        ),
        body = body_field("Nội dung câu hỏi", typed),
        file = names::FILE,
        guard = guard_fields(ticket),
    )
}

/// The form for a comment on the draft document `id`.
pub fn comment_form(id: i64, typed: &Typed, ticket: &Ticket, error: Option<&str>) -> String {
    format!(
        "{error}<form class=\"form qa-form\" method=\"post\" action=\"/van-ban/{id}/gop-y\" data-test=\"comment-form\">\
         <p class=\"form-hint\">Họ tên, số điện thoại và thư điện tử của bạn không được đăng công khai.</p>\
         {sender}{body}{guard}\
         <button type=\"submit\" data-test=\"send-comment\">Gửi góp ý</button></form>",
        error = error_html(error),
        sender = sender_fields(
            typed,
            "Để cán bộ liên hệ khi cần làm rõ ý kiến của bạn. Không đăng công khai.",
        ),
        body = body_field("Nội dung góp ý", typed),
        guard = guard_fields(ticket),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::questions::intake::FormGuard;

    #[test]
    fn what_was_typed_comes_back_escaped() {
        let guard = FormGuard::new(0, 5);
        let ticket = guard.ticket(0);
        let hostile = "\"><script>alert(1)</script>";
        let typed = Typed(vec![
            (names::NAME.into(), hostile.into()),
            (names::BODY.into(), format!("</textarea>{hostile}")),
            (names::FIELD.into(), "dat-dai".into()),
        ]);
        let fields = [Field {
            id: 1,
            slug: "dat-dai".into(),
            name: "Đất <đai>".into(),
        }];
        let html = question_form(&fields, &typed, &ticket, Some(hostile), true);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;/textarea&gt;"));
        assert_eq!(html.matches("</textarea>").count(), 1);
        assert!(html.contains("value=\"dat-dai\" selected"));
        assert!(html.contains("Đất &lt;đai&gt;"));
        assert!(html.contains("chọn lại tệp"));
        let comment = comment_form(3, &typed, &ticket, None);
        assert!(comment.contains("action=\"/van-ban/3/gop-y\"") && !comment.contains("<script>"));
    }
}
