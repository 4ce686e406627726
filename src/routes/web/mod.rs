//! Server-rendered HTML pages: readable on a phone, no JavaScript, every form CSRF-protected.

mod accounts;
mod browse;
mod chrome;
mod dashboard;
mod exchanges;
mod introductions;
mod items;
pub mod mail;
mod matches;
mod notes;
mod outbox_admin;
mod profile;
mod welcome;
mod worker;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub use chrome::Chrome;

use crate::error::AppError;
use crate::state::AppState;

/// The HTML routes. The caller adds the session and CSRF layers (see `startup`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(accounts::home))
        .route("/signup", get(accounts::signup_form).post(accounts::signup))
        .route("/login", get(accounts::login_form).post(accounts::login))
        .route("/logout", post(accounts::logout))
        .route("/me", get(profile::me).post(profile::update_details))
        .nest(
            "/offers",
            profile::listing_routes(crate::domain::listing::Kind::Offer),
        )
        .nest(
            "/wants",
            profile::listing_routes(crate::domain::listing::Kind::Want),
        )
        .route("/browse", get(browse::browse))
        .route("/matches", get(matches::my_matches))
        .route("/exchanges", get(exchanges::show).post(exchanges::record))
        .route("/exchanges/{id}/confirm", post(exchanges::confirm))
        .route("/exchanges/{id}/dispute", post(exchanges::dispute))
        .route("/members/{id}", get(browse::member))
        .route("/worker/residents/new", get(worker::new_resident_form))
        .route("/worker/residents", post(worker::create_resident))
        .route("/worker", get(dashboard::show))
        .route("/worker/members/{id}", get(dashboard::resident))
        .route("/worker/members/{id}/sheet", get(dashboard::sheet))
        .route(
            "/worker/members/{id}/listings",
            post(dashboard::add_listing),
        )
        .route("/worker/members/{id}/notes", post(dashboard::add_note))
        .route(
            "/worker/members/{id}/safeguarding",
            post(dashboard::set_safeguarding),
        )
        .route(
            "/worker/members/{id}/sign-in-code",
            post(dashboard::issue_code),
        )
        .route(
            "/introductions",
            get(introductions::list).post(introductions::start),
        )
        .route("/introductions/{id}", get(introductions::show))
        .route("/introductions/{id}/accept", post(introductions::accept))
        .route("/introductions/{id}/decline", post(introductions::decline))
        .route(
            "/introductions/{id}/withdraw",
            post(introductions::withdraw),
        )
        .route("/introductions/{id}/approve", post(introductions::approve))
        .route("/introductions/{id}/met", post(introductions::met))
        .route(
            "/introductions/{id}/exchange",
            post(introductions::record_exchange),
        )
        .route("/introductions/{id}/notes", post(introductions::add_note))
        .route("/welcome", get(welcome::form).post(welcome::redeem))
        .route("/me/digest", post(mail::update_digest))
        .route("/admin/outbox", get(outbox_admin::show))
        .route("/admin/outbox/{id}/retry", post(outbox_admin::retry))
}

/// An error shown as a page rather than as JSON.
pub struct PageError {
    error: AppError,
    chrome: Chrome,
}

/// Result type of HTML handlers.
pub type PageResult<T> = Result<T, PageError>;

impl PageError {
    pub fn new(error: AppError, chrome: &Chrome) -> Self {
        Self {
            error,
            chrome: chrome.clone(),
        }
    }
}

/// Attaches the page chrome to an `AppError`, so handlers can write `.map_err(page(&chrome))?`.
pub fn page(chrome: &Chrome) -> impl Fn(AppError) -> PageError + '_ {
    move |error| PageError::new(error, chrome)
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.error.log();
        let status = self.error.status();
        if status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let title = match status {
            StatusCode::NOT_FOUND => "Not found".to_string(),
            StatusCode::FORBIDDEN => "Not allowed".to_string(),
            s => s.canonical_reason().unwrap_or("Error").to_string(),
        };
        let page = ErrorPage {
            chrome: self.chrome,
            title,
            message: self.error.public_message(),
        };
        (status, page).into_response()
    }
}
