//! Text with links in it, from data: a post's lead with its citations of documents made links.
//! Every text is a text node and every link an element made here, so nothing in the text can
//! become markup.

use leptos::either::Either;
use leptos::prelude::*;

use crate::model::Piece;

/// `pieces` in a row: texts as text, links as `<a>`.
#[component]
pub fn LinkedText(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => Either::Left(text),
            Piece::Link { href, class, text } => {
                Either::Right(view! { <a href=href class=class>{text}</a> })
            }
        })
        .collect_view()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::components::reading::made;

    #[test]
    fn texts_stay_text_and_links_are_elements() {
        let html = made(|| {
            view! {
                <p>
                    <LinkedText pieces=vec![
                        Piece::Text("Theo <b>".into()),
                        Piece::Link {
                            href: "/van-ban/1?a=1&b=\"2\"".into(),
                            class: "doc-ref".into(),
                            text: "KH 19 & <i>".into(),
                        },
                        Piece::Text(" về".into()),
                    ]/>
                </p>
            }
        });
        // `<!>`: the marker Leptos puts after a list, harmless in the page.
        assert_eq!(
            html,
            "<p>Theo &lt;b&gt;<a href=\"/van-ban/1?a=1&amp;b=&quot;2&quot;\" class=\"doc-ref\">KH 19 &amp; &lt;i&gt;</a> về<!></p>"
        );
    }
}
