//! Browsing and searching offers and wants, and members' public pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::items::PublicItem;
use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::domain::listing::Kind;
use crate::ledger::format_minutes;
use crate::services::statements::{self, Statement};
use crate::services::{listings, members};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BrowseQuery {
    pub kind: String,
    pub q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "browse.html")]
struct BrowsePage {
    chrome: Chrome,
    plural: &'static str,
    q: String,
    items: Vec<PublicItem>,
}

pub async fn browse(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
    Query(query): Query<BrowseQuery>,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let kind = if query.kind == "wants" {
        Kind::Want
    } else {
        Kind::Offer
    };
    let q = query.q.trim().to_string();
    let rows = listings::search(&state.db, &viewer.community_ids(), kind, Some(&q))
        .await
        .map_err(page(&chrome))?;
    Ok(BrowsePage {
        chrome,
        plural: kind.plural(),
        q,
        items: rows
            .into_iter()
            .map(|(l, name)| PublicItem::new(l, name))
            .collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "member.html")]
struct MemberPage {
    chrome: Chrome,
    name: String,
    communities: String,
    offers: Vec<PublicItem>,
    wants: Vec<PublicItem>,
    timebank: Option<TimebankSummary>,
}

pub async fn member(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let (member, places) = members::visible_member(&state.db, &viewer, id)
        .await
        .map_err(page(&chrome))?;
    let (offers, wants) = listings::public_offers_and_wants(&state.db, &viewer, id)
        .await
        .map_err(page(&chrome))?;
    let item = |l| PublicItem::new(l, member.display_name.clone());
    let (offers, wants) = (
        offers.into_iter().map(item).collect(),
        wants.into_iter().map(item).collect(),
    );
    let communities = places
        .iter()
        .filter(|p| viewer.role_in(p.community_id).is_some())
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // Their timebank figures are for themselves and their workers only.
    let community_ids: Vec<i32> = places.iter().map(|p| p.community_id).collect();
    let timebank = if statements::may_see(&viewer, id, &community_ids) {
        let statement = statements::for_member(&state.db, &viewer, id)
            .await
            .map_err(page(&chrome))?;
        Some(TimebankSummary::from(statement))
    } else {
        None
    };
    Ok(MemberPage {
        chrome,
        name: member.display_name,
        communities,
        offers,
        wants,
        timebank,
    })
}

/// A member's timebank figures and history, as shown to them and their workers.
struct TimebankSummary {
    balance: String,
    given: String,
    received: String,
    people: usize,
    first_give: String,
    first_receive: String,
    history: Vec<(String, String, String)>,
}

impl From<Statement> for TimebankSummary {
    fn from(s: Statement) -> Self {
        let r = &s.reciprocity;
        let date = |d: Option<chrono::NaiveDate>| {
            d.map_or_else(|| "not yet".to_string(), |d| d.to_string())
        };
        Self {
            balance: format_minutes(s.balances.iter().map(|b| b.balance_minutes).sum()),
            given: format_minutes(r.minutes_given),
            received: format_minutes(r.minutes_received),
            people: r.people_exchanged_with,
            first_give: date(r.first_give),
            first_receive: date(r.first_receive),
            history: s
                .history
                .into_iter()
                .map(|l| {
                    (
                        l.posted_at.date_naive().to_string(),
                        l.description,
                        format_minutes(l.minutes),
                    )
                })
                .collect(),
        }
    }
}
