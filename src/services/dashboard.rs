//! A worker's dashboard: matches worth an introduction, people to reach, and what waits on whom.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{exchange, introduction, listing, listing_match, member, membership};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use super::exchanges::{CONFIRMED, PENDING};
use super::introduction_details::{self, IntroductionDetails, Person};
use super::introductions;
use super::members::Viewer;
use crate::domain::listing::Kind;
use crate::domain::member::Role;
use crate::error::{AppError, AppResult};
use crate::matching::reciprocity::{Edge, find_circles, find_swaps};

/// Most suggested matches shown at once.
pub const SUGGESTION_LIMIT: usize = 30;
/// Residents who joined within this many days count as new.
pub const NEW_RESIDENT_DAYS: i64 = 30;
/// A member with no exchange for this many days counts as quiet.
pub const QUIET_DAYS: i64 = 60;

/// A match no introduction has been made for yet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub offer_id: i32,
    pub offer_text: String,
    pub want_id: i32,
    pub want_text: String,
    pub giver: Person,
    pub receiver: Person,
    pub community_id: i32,
    pub score: f64,
    pub strong: bool,
    pub why: String,
    /// The receiver can also give the giver something they want.
    pub swap: bool,
    /// Part of a circle of three members, each giving to the next.
    pub circle: bool,
    /// The giver has never given through the timebank: a first chance to contribute.
    pub giver_never_gave: bool,
    /// One of the two has exchanged before but not for a while: worth reconnecting.
    pub quiet: bool,
}

/// A resident the worker may want to talk to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResidentSummary {
    pub id: i32,
    pub display_name: String,
    pub joined_at: DateTime<Utc>,
    /// Signed up by a worker on their behalf.
    pub assisted: bool,
    /// Has no email: the worker's digest and printed sheets reach them.
    pub no_email: bool,
}

/// An exchange waiting for the other side to confirm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PendingExchange {
    pub id: i32,
    pub giver: Person,
    pub receiver: Person,
    pub minutes: i64,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

/// Everything on a worker's dashboard, for the communities they work for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dashboard {
    /// Best matches without an introduction: strong first, swaps and circles next.
    pub suggestions: Vec<Suggestion>,
    pub pending_introductions: Vec<IntroductionDetails>,
    pub unconfirmed_exchanges: Vec<PendingExchange>,
    pub new_residents: Vec<ResidentSummary>,
    /// Residents with no offer yet: a prompt for an asset conversation.
    pub residents_without_offers: Vec<ResidentSummary>,
}

/// Builds the dashboard for every community `viewer` works for.
pub async fn load(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Dashboard> {
    let communities: Vec<i32> = viewer
        .places
        .iter()
        .filter(|p| p.role.is_staff())
        .map(|p| p.community_id)
        .collect();
    if communities.is_empty() {
        return Err(AppError::forbidden(
            "the dashboard is for community workers",
        ));
    }
    let pending = introductions::in_communities(db, &communities, true).await?;
    let pending_introductions = introduction_details::load(db, viewer, pending).await?;
    let residents = residents_of(db, &communities).await?;
    let names: HashMap<i32, String> = member::Entity::find()
        .inner_join(membership::Entity)
        .filter(membership::Column::CommunityId.is_in(communities.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.display_name))
        .collect();
    let person = |id: i32| Person {
        id,
        display_name: names.get(&id).cloned().unwrap_or_default(),
    };
    let exchanges = exchange::Entity::find()
        .filter(exchange::Column::CommunityId.is_in(communities.clone()))
        .all(db)
        .await?;
    let unconfirmed_exchanges = exchanges
        .iter()
        .filter(|e| e.status == PENDING)
        .map(|e| PendingExchange {
            id: e.id,
            giver: person(e.giver_id),
            receiver: person(e.receiver_id),
            minutes: e.minutes,
            description: e.description.clone(),
            created_at: e.created_at,
        })
        .collect();
    let suggestions = suggestions(db, &communities, &exchanges, &person).await?;
    let with_offers: HashSet<i32> = listing::Entity::find()
        .filter(listing::Column::CommunityId.is_in(communities.clone()))
        .filter(listing::Column::Kind.eq(Kind::Offer.as_str()))
        .filter(listing::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.member_id)
        .collect();
    let since = super::now() - Duration::days(NEW_RESIDENT_DAYS);
    let summary = |(m, joined): &(member::Model, DateTime<Utc>)| ResidentSummary {
        id: m.id,
        display_name: m.display_name.clone(),
        joined_at: *joined,
        assisted: m.created_by.is_some(),
        no_email: m.email.is_none(),
    };
    Ok(Dashboard {
        suggestions,
        pending_introductions,
        unconfirmed_exchanges,
        new_residents: residents
            .iter()
            .filter(|(_, joined)| *joined >= since)
            .map(summary)
            .collect(),
        residents_without_offers: residents
            .iter()
            .filter(|(m, _)| !with_offers.contains(&m.id))
            .map(summary)
            .collect(),
    })
}

/// Residents of these communities with when they joined, newest first.
async fn residents_of(
    db: &impl ConnectionTrait,
    communities: &[i32],
) -> AppResult<Vec<(member::Model, DateTime<Utc>)>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::CommunityId.is_in(communities.iter().copied()))
        .filter(membership::Column::Role.eq(Role::Resident.as_str()))
        .order_by_desc(membership::Column::CreatedAt)
        .find_also_related(member::Entity)
        .all(db)
        .await?;
    let mut seen = HashSet::new();
    Ok(rows
        .into_iter()
        .filter_map(|(ms, m)| m.map(|m| (m, ms.created_at)))
        .filter(|(m, _)| seen.insert(m.id))
        .collect())
}

/// Matches in these communities with no introduction yet, best to act on first.
async fn suggestions(
    db: &impl ConnectionTrait,
    communities: &[i32],
    exchanges: &[exchange::Model],
    person: &impl Fn(i32) -> Person,
) -> AppResult<Vec<Suggestion>> {
    let rows = listing_match::Entity::find()
        .filter(listing_match::Column::CommunityId.is_in(communities.iter().copied()))
        .all(db)
        .await?;
    let acted: HashSet<(i32, i32)> = introduction::Entity::find()
        .filter(introduction::Column::CommunityId.is_in(communities.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.offer_id, i.want_id))
        .collect();
    let rows: Vec<listing_match::Model> = rows
        .into_iter()
        .filter(|r| !acted.contains(&(r.offer_id, r.want_id)))
        .collect();
    let edges: Vec<Edge> = rows
        .iter()
        .filter(|r| r.strong)
        .map(|r| Edge {
            offer: r.offer_id.to_string(),
            want: r.want_id.to_string(),
            giver: r.offer_member_id.to_string(),
            receiver: r.want_member_id.to_string(),
            score: r.score as f32,
        })
        .collect();
    let mut in_swap: HashSet<(String, String)> = HashSet::new();
    for s in find_swaps(&edges) {
        for e in [s.first_gives, s.second_gives] {
            in_swap.insert((e.giver, e.receiver));
        }
    }
    let mut in_circle: HashSet<(String, String)> = HashSet::new();
    for c in find_circles(&edges) {
        for e in c.edges {
            in_circle.insert((e.giver, e.receiver));
        }
    }
    let gave: HashSet<i32> = exchanges
        .iter()
        .filter(|e| e.status == CONFIRMED)
        .map(|e| e.giver_id)
        .collect();
    let quiet_since = (super::now() - Duration::days(QUIET_DAYS)).date_naive();
    let mut last_exchange: HashMap<i32, chrono::NaiveDate> = HashMap::new();
    for e in exchanges {
        for member in [e.giver_id, e.receiver_id] {
            let last = last_exchange.entry(member).or_insert(e.date);
            *last = (*last).max(e.date);
        }
    }
    let quiet = |member: i32| last_exchange.get(&member).is_some_and(|d| *d < quiet_since);
    let ids: HashSet<i32> = rows.iter().flat_map(|r| [r.offer_id, r.want_id]).collect();
    let texts = super::listings::texts(db, ids).await?;
    let mut out: Vec<Suggestion> = rows
        .into_iter()
        .map(|r| {
            let pair = (r.offer_member_id.to_string(), r.want_member_id.to_string());
            Suggestion {
                offer_text: texts.get(&r.offer_id).cloned().unwrap_or_default(),
                want_text: texts.get(&r.want_id).cloned().unwrap_or_default(),
                giver: person(r.offer_member_id),
                receiver: person(r.want_member_id),
                swap: r.strong && in_swap.contains(&pair),
                circle: r.strong && in_circle.contains(&pair),
                giver_never_gave: !gave.contains(&r.offer_member_id),
                quiet: quiet(r.offer_member_id) || quiet(r.want_member_id),
                offer_id: r.offer_id,
                want_id: r.want_id,
                community_id: r.community_id,
                score: (r.score * 1000.0).round() / 1000.0,
                strong: r.strong,
                why: r.why,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.strong, b.swap || b.circle, b.giver_never_gave)
            .cmp(&(a.strong, a.swap || a.circle, a.giver_never_gave))
            .then(b.score.total_cmp(&a.score))
    });
    out.truncate(SUGGESTION_LIMIT);
    Ok(out)
}
