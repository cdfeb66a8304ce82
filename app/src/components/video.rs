//! The "Video Clip" widget. A YouTube clip shows only its thumbnail (served by the portal) and a
//! play button until the reader presses it; then the privacy-enhanced player loads. An uploaded
//! file plays in the page's own `<video>`, seekable. Pressing play counts a view. Editors change
//! the clip in place.

use leptos::prelude::*;

use crate::api::clips::{clip_view, list_clips, AddYoutubeClip, SetCurrentClip};
use crate::components::official::{reload, FormResult};
use crate::format::count_vn;
use crate::model::{Clip, ClipSource};

/// The widget around the clip (`ClipBody`, its children), which the browser brings to life: the YouTube poster
/// becomes the player when pressed, and the first play of either kind counts a
/// view and shows the new count. Editors also get the clip manager: the whole app passes them
/// `manager` (`clip_manager`), so that a citizens' page, whose widget is an island, carries none
/// of its code.
#[component]
pub fn VideoWidget(
    clip_id: Option<i64>,
    #[prop(optional_no_strip)] manager: Option<fn(Option<i64>) -> AnyView>,
    children: Children,
) -> impl IntoView {
    let body = NodeRef::<leptos::html::Div>::new();
    let counted = StoredValue::new(false);
    let count = move || {
        let (Some(id), Some(body)) = (clip_id, body.get_untracked()) else {
            return;
        };
        if counted.get_value() {
            return;
        }
        counted.set_value(true);
        leptos::task::spawn_local(async move {
            if let (Ok(n), Ok(Some(views))) = (
                clip_view(id).await,
                body.query_selector("[data-test=clip-views]"),
            ) {
                views.set_text_content(Some(&count_vn(n)));
            }
        });
    };
    // An uploaded file's first play: `play` does not bubble, so it is taken on its way down.
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        if let Some(body) = body.get() {
            let on_play = Closure::<dyn Fn()>::new(count);
            let _ = body.add_event_listener_with_callback_and_bool(
                "play",
                on_play.as_ref().unchecked_ref(),
                true,
            );
            on_play.forget();
        }
    });
    // A YouTube poster pressed: the privacy-enhanced player takes its place and plays.
    let play = move |ev: leptos::ev::MouseEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(poster) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|el| el.closest("a.clip__poster").ok().flatten())
        else {
            return;
        };
        let Ok(frame) = document().create_element("iframe") else {
            return;
        };
        ev.prevent_default();
        for (name, value) in [
            ("src", poster.get_attribute("href").unwrap_or_default()),
            (
                "title",
                poster.get_attribute("data-title").unwrap_or_default(),
            ),
            ("data-test", "clip-iframe".to_string()),
            (
                "allow",
                "autoplay; encrypted-media; picture-in-picture; fullscreen".to_string(),
            ),
            ("allowfullscreen", String::new()),
            (
                "referrerpolicy",
                "strict-origin-when-cross-origin".to_string(),
            ),
        ] {
            let _ = frame.set_attribute(name, &value);
        }
        let _ = poster.replace_with_with_node_1(&frame);
        count();
    };
    view! {
        <section class="widget" aria-labelledby="widget-video">
            <h2 class="widget__title" id="widget-video">"Video Clip"</h2>
            <div node_ref=body on:click=play>{children()}</div>
            {manager.map(|manager| manager(clip_id))}
        </section>
    }
}

/// The editors' clip manager under the widget, for `VideoWidget`'s `manager`: part of the whole
/// app (`crate::whole_app`), which a citizen reading never downloads.
pub fn clip_manager(clip_id: Option<i64>) -> AnyView {
    // Made in the browser once the page is interactive, never on the server: a
    // resource or suspense made here on the server takes its id after the page's
    // own, which are made later there than in the browser (a post's tools wait for
    // the post), so the ids would not match and hydration would stop.
    let shown = RwSignal::new(false);
    Effect::new(move |_| shown.set(true));
    (move || shown.get().then(|| view! { <ClipPanel current=clip_id/> })).into_any()
}

/// The clip as first shown: a YouTube clip as its thumbnail, a link to the player (so that
/// without JavaScript it still leads to the video); a file in the page's own `<video>`, with
/// its captions.
#[component]
pub fn ClipBody(clip: Option<Clip>) -> impl IntoView {
    {
        let Some(clip) = clip else {
            return view! { <p class="widget__body" data-test="clip-none">"Chưa có video."</p> }
                .into_any();
        };
        let title = clip.title.clone();
        let player = match clip.source {
            ClipSource::YouTube { id: video } => {
                let embed =
                    format!("https://www.youtube-nocookie.com/embed/{video}?autoplay=1&rel=0");
                let thumbnail = format!("/media/youtube/{video}.jpg");
                let label = format!("Phát video: {title}");
                view! {
                    <div class="clip__frame" data-test="clip-youtube">
                        <a class="clip__poster" href=embed aria-label=label data-title=title
                            data-test="clip-play">
                            <img src=thumbnail alt="" width="320" height="180" loading="lazy" decoding="async"/>
                            <span class="clip__play" aria-hidden="true"></span>
                        </a>
                    </div>
                }
                .into_any()
            }
            ClipSource::File {
                url,
                mime,
                captions,
            } => view! {
                <div class="clip__frame">
                    <video controls=true preload="metadata" width="320" height="180" data-test="clip-video"
                        aria-label=title>
                        <source src=url type=mime/>
                        {captions.map(|src| view! {
                            <track kind="captions" src=src srclang="vi" label="Tiếng Việt" default=true/>
                        })}
                    </video>
                </div>
            }
            .into_any(),
        };
        view! {
            <div class="widget__body clip" data-test="clip">
                {player}
                <p class="clip__title" data-test="clip-title">{clip.title}</p>
                <p class="clip__views">"Lượt xem " <span data-test="clip-views">{count_vn(clip.view_count)}</span></p>
            </div>
        }
        .into_any()
    }
}

/// Editors' panel: the list of clips, a YouTube link, an upload.
#[component]
fn ClipPanel(current: Option<i64>) -> impl IntoView {
    let clips = LocalResource::new(list_clips);
    let add = ServerAction::<AddYoutubeClip>::new();
    let choose = ServerAction::<SetCurrentClip>::new();
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(()))) || matches!(choose.value().get(), Some(Ok(())))
        {
            reload();
        }
    });
    let add_result = Signal::derive(move || add.value().get());
    let upload_result: RwSignal<Option<Result<(), crate::error::AppError>>> = RwSignal::new(None);
    provide_context(choose);
    provide_context(CurrentClip(current));
    view! {
        <details class="widget__edit" data-test="clip-edit">
            <summary>"Quản lý video"</summary>
            <Suspense fallback=|| view! { <p class="loading">"Đang tải…"</p> }>
                {Suspend::new(async move {
                    match clips.await {
                        Ok(list) => view! { <ClipList list/> }.into_any(),
                        Err(err) => view! {
                            <p class="form-error" role="alert" data-test="form-error">{err.to_string()}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
            <h3>"Thêm video YouTube"</h3>
            <ActionForm action=add attr:class="form">
                <label for="clip-title">"Tiêu đề"</label>
                <input id="clip-title" name="title" required/>
                <label for="clip-link">"Đường dẫn YouTube"</label>
                <input id="clip-link" name="link" type="url" inputmode="url" required
                    placeholder="https://www.youtube.com/watch?v=..."/>
                <FormResult result=add_result done="Đã thêm video."/>
                <button type="submit">"Thêm và hiển thị"</button>
            </ActionForm>
            <h3>"Tải lên tệp video"</h3>
            <form class="form" method="post" action="/api/upload_clip" enctype="multipart/form-data"
                data-test="clip-upload" on:submit=move |ev| upload(ev, upload_result)>
                <label for="upload-title">"Tiêu đề"</label>
                <input id="upload-title" name="title" required/>
                <label for="upload-file">"Tệp MP4 hoặc WebM"</label>
                <input id="upload-file" name="file" type="file" accept="video/mp4,video/webm" required/>
                <label for="upload-captions">"Phụ đề WebVTT (không bắt buộc)"</label>
                <input id="upload-captions" name="captions" type="file" accept=".vtt,text/vtt"/>
                <FormResult result=upload_result.into() done="Đã tải lên."/>
                <button type="submit">"Tải lên và hiển thị"</button>
            </form>
        </details>
    }
}

/// The clip the widget shows, for the editors' list.
#[derive(Clone, Copy)]
struct CurrentClip(Option<i64>);

#[component]
fn ClipList(list: Vec<Clip>) -> impl IntoView {
    let choose = expect_context::<ServerAction<SetCurrentClip>>();
    let current = expect_context::<CurrentClip>().0;
    (!list.is_empty()).then(|| {
        view! {
            <ul class="clip-list" data-test="clip-list">
                {list.into_iter().map(|clip| {
                    let kind = match clip.source {
                        ClipSource::YouTube { .. } => "YouTube",
                        ClipSource::File { .. } => "tệp",
                    };
                    let shown = current == Some(clip.id);
                    view! {
                        <li>
                            <span>{clip.title.clone()} " (" {kind} ", " {count_vn(clip.view_count)} " lượt xem)"</span>
                            {if shown {
                                view! { <strong class="clip-list__current">" Đang hiển thị"</strong> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=choose attr:class="inline-form">
                                        <input type="hidden" name="id" value=clip.id.to_string()/>
                                        <button type="submit" aria-label=format!("Hiển thị {}", clip.title)>"Hiển thị"</button>
                                    </ActionForm>
                                }
                                .into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

/// Sends the upload form with `fetch`, so the answer (or the error) shows in the form; without
/// JavaScript the browser posts it and comes back to the page.
fn upload(
    ev: leptos::ev::SubmitEvent,
    result: RwSignal<Option<Result<(), crate::error::AppError>>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let answer = crate::components::official::send_form("/api/upload_clip", &data);
            let outcome = answer.await.map(|_| ());
            let ok = outcome.is_ok();
            result.set(Some(outcome));
            if ok {
                reload();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, result);
}
