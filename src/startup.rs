//! Building the application: `router(state)` is a pure function the tests call too.

use std::time::Duration;

use axum::Router;
use axum::http::Request;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

use crate::auth::csrf;
use crate::auth::session_store::DbSessionStore;
use crate::mail::Mailer;
use crate::routes::{api, health, web};
use crate::services::{self, digests};
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "kith_session";
/// Sessions end after this long without a visit.
const SESSION_IDLE_DAYS: i64 = 14;

/// The whole HTTP application for `state`.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(
            SESSION_IDLE_DAYS,
        )));
    // CSRF checking sits inside the session layer because it needs the session's token.
    let pages = web::router()
        .layer(axum::middleware::from_fn(csrf::verify))
        .layer(sessions);
    let (api_routes, _) = api::router();
    Router::new()
        .merge(pages)
        // Outside the session and CSRF layers on purpose: RFC 8058 one-click unsubscribe is a
        // cookie-less POST from the mail client, authorised by the link's random token alone.
        .merge(web::mail::unsubscribe_router())
        .merge(api_routes)
        .route("/healthz", get(health::healthz))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(|response: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(status = response.status().as_u16(), latency_ms = latency.as_millis() as u64, "done");
                })
                .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
        )
        .with_state(state)
}

/// Binds the configured address, serves until Ctrl-C or SIGTERM, and cleans up old sessions.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    let listener = TcpListener::bind(state.config.bind).await?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "kith is listening");
    println!("kith is running at http://{address}/  (Ctrl-C to stop)");
    spawn_session_cleanup(DbSessionStore::new(state.db.clone()));
    spawn_digest_job(&state);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

fn spawn_session_cleanup(store: DbSessionStore) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match store.delete_expired().await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
            }
        }
    });
}

/// Runs the digest job every `KITH_DIGEST_INTERVAL` unless it is disabled. A failed run is
/// logged and the next one tries again: the outbox keeps whatever was not sent.
fn spawn_digest_job(state: &AppState) {
    let Some(interval) = state.config.digest_interval else {
        tracing::info!("digest job disabled (KITH_DIGEST_INTERVAL=0)");
        return;
    };
    let mailer = match Mailer::from_config(&state.config.mail) {
        Ok(mailer) => mailer,
        Err(e) => {
            tracing::error!(error = %e, "digest job not started");
            return;
        }
    };
    let (db, config) = (state.db.clone(), state.config.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(interval);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = digests::run(&db, &config, &mailer, services::now(), false).await {
                tracing::warn!(error = %e, "digest run failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
