//! Routes: Leptos pages and server functions, then static files, then the 404 page.

use std::convert::Infallible;

use app::server::AppState;
use app::{shell, App};
use axum::{middleware::from_fn, middleware::from_fn_with_state, Router};
use http::{header, HeaderValue};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, render_app_to_stream_with_context, LeptosRoutes};
use tower_http::{
    compression::CompressionLayer, services::ServeDir, set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::cache::{self, PageCache};
use crate::middleware;

pub fn build(state: AppState, cache: PageCache, disk_min_free_bytes: u64) -> Router {
    let routes = generate_route_list(App);
    // Shared: the closures holding it are cloned with their routes for every request.
    let options = std::sync::Arc::new(state.leptos_options.clone());

    // Unknown URLs render the app, whose route fallback answers a Vietnamese 404 page.
    let not_found = {
        let state = state.clone();
        let options = options.clone();
        let render = render_app_to_stream_with_context(
            move || provide_context(state.clone()),
            move || shell((*options).clone()),
        );
        tower::service_fn(move |req| {
            let render = render.clone();
            async move { Ok::<_, Infallible>(render(req).await) }
        })
    };
    // The built wasm, js and css (precompressed copies are used when present) and public/.
    let static_files = ServeDir::new(options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .fallback(not_found);

    Router::new()
        .merge(crate::media::routes(&state))
        .merge(crate::attachments::routes(&state))
        .merge(crate::feeds::routes())
        .merge(crate::operations::routes(disk_min_free_bytes))
        .leptos_routes(&state, routes, move || shell((*options).clone()))
        // After the pages: the forms post to their own page's address.
        .merge(crate::questions::routes())
        .fallback_service(static_files)
        .layer(from_fn(middleware::immutable_assets))
        // Inside the visit tracker (a visit is counted before a cached page's numbers are
        // read) and `identify` (officials get no cached page; their writes make pages stale).
        .layer(from_fn_with_state((state.clone(), cache), cache::serve))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::track_visitors,
        ))
        .layer(from_fn_with_state(
            state.clone(),
            middleware::publish_scheduled,
        ))
        // Outside the visit tracker, which leaves signed-in officials alone.
        .layer(from_fn_with_state(state.clone(), middleware::identify))
        .layer(from_fn(middleware::refuse_cross_site))
        .layer(from_fn(middleware::server_fn_error_status))
        .layer(from_fn(middleware::no_script_errors))
        .layer(from_fn(middleware::one_address))
        .layer(from_fn(middleware::limit_uri))
        .layer(from_fn(middleware::same_origin_redirects))
        .layer(from_fn(middleware::content_security_policy))
        .layer(from_fn(middleware::close_after_refused_bodies))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
