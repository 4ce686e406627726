//! The JSON API under `/api/v1`, with its OpenAPI 3.1 document generated from the handlers.

pub mod accounts;
pub mod communities;
pub mod exchanges;
pub mod extract;
pub mod introductions;
mod keyed;
pub mod listings;
pub mod matches;
pub mod members;
pub mod outbox;
pub mod views;
pub mod worker;

use axum::Json;
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "kith API", description = "Skills exchange and timebanking for neighbourhoods. \
        Log in with POST /api/v1/login and send the token as `Authorization: Bearer <token>`. \
        Errors are RFC 9457 problem details."),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Sign-up, login and your own account"),
        (name = "offer", description = "What members can share"),
        (name = "want", description = "What members would like to learn or get help with"),
        (name = "timebank", description = "Exchanges, group sessions and the hour ledger"),
        (name = "matches", description = "Who could help whom, found by the matcher"),
        (name = "members", description = "Other members and assisted sign-up"),
        (name = "communities", description = "Neighbourhoods"),
        (name = "introductions", description = "Brokered introductions: contact details shared only when both accept"),
        (name = "worker", description = "Community workers: dashboard, private notes, safeguarding, sign-in codes"),
        (name = "mail", description = "Email digests: the outbox, for admins"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Path prefix of every API route.
pub const PREFIX: &str = "/api/v1";

/// The API routes, already under [`PREFIX`], and the OpenAPI document describing them.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let routes = OpenApiRouter::new()
        .routes(routes!(accounts::signup))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me, accounts::update_me))
        .routes(routes!(listings::create_offer, listings::search_offers))
        .routes(routes!(
            listings::show_offer,
            listings::update_offer,
            listings::delete_offer
        ))
        .routes(routes!(listings::create_want, listings::search_wants))
        .routes(routes!(
            listings::show_want,
            listings::update_want,
            listings::delete_want
        ))
        .routes(routes!(matches::my_matches))
        .routes(routes!(
            exchanges::record_exchange,
            exchanges::list_exchanges
        ))
        .routes(routes!(exchanges::confirm_exchange))
        .routes(routes!(exchanges::dispute_exchange))
        .routes(routes!(exchanges::record_activity))
        .routes(routes!(exchanges::reverse_posting))
        .routes(routes!(exchanges::member_ledger))
        .routes(routes!(members::show_member))
        .routes(routes!(members::create_resident))
        .routes(routes!(members::create_staff))
        .routes(routes!(
            communities::list_communities,
            communities::create_community
        ))
        .routes(routes!(communities::update_limits))
        .routes(routes!(
            introductions::list_introductions,
            introductions::start_introduction
        ))
        .routes(routes!(introductions::show_introduction))
        .routes(routes!(introductions::accept_introduction))
        .routes(routes!(introductions::decline_introduction))
        .routes(routes!(introductions::withdraw_introduction))
        .routes(routes!(introductions::approve_introduction))
        .routes(routes!(introductions::mark_met))
        .routes(routes!(
            introductions::introduction_notes,
            introductions::add_introduction_note
        ))
        .routes(routes!(worker::worker_dashboard))
        .routes(routes!(worker::member_notes, worker::add_member_note))
        .routes(routes!(worker::set_safeguarding))
        .routes(routes!(worker::issue_sign_in_code))
        .routes(routes!(worker::redeem_sign_in_code))
        .routes(routes!(outbox::show_outbox))
        .routes(routes!(outbox::retry_outbox));
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(PREFIX, routes)
        .split_for_parts();
    let document = openapi.clone();
    let router = router
        .route(
            &format!("{PREFIX}/openapi.json"),
            get(move || async move { Json(document) }),
        )
        .route(
            &format!("{PREFIX}/{{*rest}}"),
            axum::routing::any(api_not_found),
        );
    (router, openapi)
}

async fn api_not_found() -> AppError {
    AppError::NotFound("API route")
}
