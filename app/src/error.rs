//! The one error type of every server function. It crosses the wire as JSON, carries only
//! Vietnamese text meant for readers, and maps to an HTTP status. Internal details are logged
//! on the server where they happen and never put in here.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// What was asked for does not exist (or is not public).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed: the message says what to correct.
    #[error("{0}")]
    BadRequest(String),
    #[error("Bạn cần đăng nhập để thực hiện thao tác này.")]
    Unauthorized,
    #[error("Bạn không có quyền thực hiện thao tác này.")]
    Forbidden,
    /// The request's body is over the limit: the message says the limit.
    #[error("{0}")]
    TooLarge(String),
    /// Too many failed attempts: the message says how long to wait.
    #[error("{0}")]
    TooManyAttempts(String),
    /// The request came from another site; nothing was changed.
    #[error("Yêu cầu đến từ trang web khác nên đã bị từ chối. Không có gì bị thay đổi.")]
    CrossOrigin,
    /// The server is saturated for a moment (password checks): nothing was done; try again.
    #[error("Máy chủ đang bận. Vui lòng thử lại sau ít giây.")]
    Busy,
    /// Something failed on the server; the details are in the server's log.
    #[error("Hệ thống đang gặp sự cố. Vui lòng thử lại sau.")]
    Internal,
    /// The request did not reach the server function or its answer could not be read.
    #[error("Không kết nối được tới máy chủ. Vui lòng kiểm tra mạng và thử lại.")]
    Transport,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::CrossOrigin => 403,
            AppError::TooLarge(_) => 413,
            AppError::TooManyAttempts(_) => 429,
            AppError::Internal => 500,
            AppError::Busy => 503,
            AppError::Transport => 502,
        }
    }

    /// The code a form sent without JavaScript is answered with: the server function's
    /// redirect back to the form carries it (`?loi=sai`) instead of the encoded error, and the
    /// page shows the message it stands for ([`AppError::no_script_message`]).
    pub fn no_script_code(&self) -> &'static str {
        let text = self.to_string();
        if let Some((code, _)) = NO_SCRIPT.iter().find(|(_, message)| *message == text) {
            return code;
        }
        match self {
            AppError::TooManyAttempts(_) => "cho",
            AppError::Unauthorized => "dang-nhap",
            AppError::Forbidden => "quyen",
            AppError::CrossOrigin => "trang-khac",
            _ => "loi",
        }
    }

    /// The message of a code of [`AppError::no_script_code`]; None for any other text. Only
    /// these fixed messages: a crafted link cannot put words of its own on the portal's pages.
    pub fn no_script_message(code: &str) -> Option<&'static str> {
        NO_SCRIPT
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, message)| *message)
    }

    /// The heading of the page that shows this error.
    pub fn heading(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "Không tìm thấy trang",
            AppError::BadRequest(_) => "Yêu cầu không hợp lệ",
            AppError::TooLarge(_) => "Dữ liệu quá lớn",
            AppError::Unauthorized => "Cần đăng nhập",
            AppError::Forbidden | AppError::CrossOrigin => "Không có quyền truy cập",
            AppError::TooManyAttempts(_) => "Tạm thời bị khóa",
            AppError::Busy => "Máy chủ đang bận",
            AppError::Internal | AppError::Transport => "Đã xảy ra lỗi",
        }
    }
}

const BUSY: &str = "Máy chủ đang bận. Vui lòng thử lại sau ít giây.";

/// The answers a form sent without JavaScript can get, by code.
const NO_SCRIPT: [(&str, &str); 8] = [
    ("ban", BUSY),
    ("thieu", "Vui lòng nhập tên đăng nhập và mật khẩu."),
    ("sai", "Tên đăng nhập hoặc mật khẩu không đúng."),
    (
        "cho",
        "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. Vui lòng thử lại sau ít phút.",
    ),
    ("dang-nhap", "Bạn cần đăng nhập để thực hiện thao tác này."),
    ("quyen", "Bạn không có quyền thực hiện thao tác này."),
    (
        "trang-khac",
        "Yêu cầu đến từ trang web khác nên đã bị từ chối. Không có gì bị thay đổi.",
    ),
    (
        "loi",
        "Không thực hiện được yêu cầu. Vui lòng kiểm tra lại thông tin rồi thử lại.",
    ),
];

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                client_error(&value);
                AppError::BadRequest(MALFORMED.into())
            }
            // On the server this is the request's body that could not be read: too large, or
            // not text. (In the browser it is the server's answer: a transport failure.)
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(ref reason) => {
                client_error(&value);
                if reason.contains("length limit") {
                    AppError::TooLarge(
                        "Dữ liệu gửi lên quá lớn (tối đa 2 MB). Không có gì bị thay đổi.".into(),
                    )
                } else {
                    AppError::BadRequest(MALFORMED.into())
                }
            }
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            _ => AppError::Transport,
        }
    }
}

const MALFORMED: &str = "Dữ liệu gửi lên không hợp lệ. Không có gì bị thay đổi.";

/// A request the client got wrong is the client's error: logged as such, not as the server's.
fn client_error(error: &ServerFnErrorErr) {
    #[cfg(feature = "ssr")]
    tracing::info!(%error, "refused a malformed server function call");
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_without_javascript_gets_a_fixed_message_by_code() {
        let wrong = AppError::BadRequest("Tên đăng nhập hoặc mật khẩu không đúng.".into());
        assert_eq!(wrong.no_script_code(), "sai");
        assert_eq!(
            AppError::no_script_message("sai"),
            Some("Tên đăng nhập hoặc mật khẩu không đúng.")
        );
        let locked = AppError::TooManyAttempts("… sau 14 phút.".into());
        assert!(AppError::no_script_message(locked.no_script_code())
            .unwrap()
            .contains("tạm thời bị khóa"));
        // Any other text falls back to a general message, never to the text itself.
        let other = AppError::BadRequest("<b>tự chọn</b>".into());
        assert_eq!(other.no_script_code(), "loi");
        assert_eq!(AppError::no_script_message("<b>tự chọn</b>"), None);
        assert_eq!(AppError::no_script_message(""), None);
    }
}
