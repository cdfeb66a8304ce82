//! The "Video Clip" widget. A YouTube clip shows only its thumbnail (served by the portal) and a
//! play button until the reader presses it; then the privacy-enhanced player loads. An uploaded
//! file plays in the page's own `<video>`, seekable. Pressing play counts a view. Editors change
//! the clip in place.

use leptos::prelude::*;

use crate::api::clips::{clip_view, list_clips, AddYoutubeClip, SetCurrentClip};
use crate::components::error_view::loaded;
use crate::components::official::{reload, use_official, FormResult};
use crate::format::count_vn;
use crate::model::{Clip, ClipSource, Role};

#[component]
pub fn VideoWidget(clip: Option<Clip>) -> impl IntoView {
    let editor = use_official().is_some_and(|o| o.can(Role::Editor));
    let current = clip.as_ref().map(|c| c.id);
    view! {
        <section class="widget" aria-labelledby="widget-video">
            <h2 class="widget__title" id="widget-video">"Video Clip"</h2>
            {match clip {
                Some(clip) => view! { <ClipPlayer clip/> }.into_any(),
                None => view! { <p class="widget__body" data-test="clip-none">"Chưa có video."</p> }.into_any(),
            }}
            {editor.then(|| {
                // Made here, in the page's own order, not inside the lazily loaded panel: a
                // resource takes its server-rendered value by the order resources are made.
                let clips = Resource::new(|| (), |_| list_clips());
                view! { <Suspense>{Suspend::new(clip_panel(current, clips))}</Suspense> }
            })}
        </section>
    }
}

#[component]
fn ClipPlayer(clip: Clip) -> impl IntoView {
    let views = RwSignal::new(clip.view_count);
    let counted = RwSignal::new(false);
    let id = clip.id;
    let count = move || {
        if !counted.get_untracked() {
            counted.set(true);
            leptos::task::spawn_local(async move {
                if let Ok(n) = clip_view(id).await {
                    views.set(n);
                }
            });
        }
    };
    let title = clip.title.clone();
    let player = match clip.source {
        ClipSource::YouTube { id: video } => {
            let playing = RwSignal::new(false);
            let embed = format!("https://www.youtube-nocookie.com/embed/{video}?autoplay=1&rel=0");
            let thumbnail = format!("/media/youtube/{video}.jpg");
            let label = format!("Phát video: {title}");
            let frame_title = title.clone();
            view! {
                <div class="clip__frame" data-test="clip-youtube">
                    {move || if playing.get() {
                        view! {
                            <iframe src=embed.clone() title=frame_title.clone() data-test="clip-iframe"
                                allow="autoplay; encrypted-media; picture-in-picture; fullscreen"
                                allowfullscreen=true referrerpolicy="strict-origin-when-cross-origin"></iframe>
                        }
                        .into_any()
                    } else {
                        view! {
                            // A link, so that without JavaScript it still leads to the video.
                            <a class="clip__poster" href=embed.clone() aria-label=label.clone() data-test="clip-play"
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    playing.set(true);
                                    count();
                                }>
                                <img src=thumbnail.clone() alt="" width="320" height="180" loading="lazy" decoding="async"/>
                                <span class="clip__play" aria-hidden="true"></span>
                            </a>
                        }
                        .into_any()
                    }}
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
                    aria-label=title.clone() on:play=move |_| count()>
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
            <p class="clip__views">"Lượt xem " <span data-test="clip-views">{move || count_vn(views.get())}</span></p>
        </div>
    }
}

/// Editors' panel: the list of clips, a YouTube link, an upload.
type ClipsResource = Resource<Result<Vec<Clip>, crate::error::AppError>>;

/// The editors' clip manager, in its own wasm chunk: citizens never download it.
#[lazy]
pub(crate) fn clip_panel(current: Option<i64>, clips: ClipsResource) -> AnyView {
    view! { <ClipPanel current clips/> }.into_any()
}

#[component]
fn ClipPanel(current: Option<i64>, clips: ClipsResource) -> impl IntoView {
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
            {loaded(clips, |list| view! { <ClipList list/> })}
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
