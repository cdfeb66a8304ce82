//! Content-Security-Policy: the second wall behind escaping and the sanitiser. Should a text
//! ever become markup, the browser still runs no script the server did not mark with the
//! response's nonce, loads nothing from other sites and submits forms only here.

/// The player host of the video widget, the only site a frame may show.
pub const YOUTUBE_PLAYER: &str = "https://www.youtube-nocookie.com";

/// The policy of a page rendered by the app: scripts only with `nonce` (the hydration loader
/// and what it imports: `'strict-dynamic'`), the wasm compiled under `'wasm-unsafe-eval'`.
/// Styles may be inline: the editor's pasted text carries them, and they run no code.
pub fn page(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self'; media-src 'self'; font-src 'self'; \
         connect-src 'self'; frame-src {YOUTUBE_PLAYER}; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'self'"
    )
}

/// A page the server writes by hand (an error before the app renders): no script at all.
pub const PLAIN_PAGE: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// An uploaded file, a feed, any answer that is not a page: opened on its own it can run
/// nothing and reach nothing (`sandbox`), whatever its content claims to be.
pub const NOT_A_PAGE: &str = "default-src 'none'; frame-ancestors 'self'; sandbox";
