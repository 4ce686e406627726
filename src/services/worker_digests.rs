//! A worker's daily brokering digest: what is new in the communities they work for.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{community, exchange, listing, listing_match, member};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::config::Config;
use crate::digest::Digest;
use crate::digest::worker::{BrokerExchange, BrokerMatch, WorkerDigestInput, compose_worker};
use crate::error::{AppError, AppResult};

use super::digests::is_new;

/// Composes `worker`'s brokering digest over `communities` for what is new since `since`.
pub async fn digest(
    db: &DatabaseConnection,
    config: &Config,
    worker: &member::Model,
    communities: Vec<i32>,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    unsubscribe_url: String,
) -> AppResult<Option<Digest>> {
    let community_names: HashMap<i32, String> = community::Entity::find()
        .filter(community::Column::Id.is_in(communities.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let strong = listing_match::Entity::find()
        .filter(listing_match::Column::CommunityId.is_in(communities.clone()))
        .filter(listing_match::Column::Strong.eq(true))
        .all(db)
        .await?;
    // A swap: the receiver also offers something the giver wants, anywhere in these communities.
    let pairs: HashSet<(i32, i32)> = strong
        .iter()
        .map(|r| (r.offer_member_id, r.want_member_id))
        .collect();
    let fresh: Vec<_> = strong
        .into_iter()
        .filter(|r| is_new(r.found_at, since, now))
        .collect();
    let exchanges: Vec<exchange::Model> = exchange::Entity::find()
        .filter(exchange::Column::CommunityId.is_in(communities.clone()))
        .filter(exchange::Column::Status.eq("pending"))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| is_new(e.created_at, since, now))
        .collect();
    // Introductions that moved since the last digest and still wait on someone.
    let introductions: Vec<_> = super::introductions::in_communities(db, &communities, true)
        .await?
        .into_iter()
        .filter(|i| is_new(i.updated_at, since, now))
        .collect();
    if fresh.is_empty() && exchanges.is_empty() && introductions.is_empty() {
        return Ok(None);
    }
    let people: HashMap<i32, member::Model> = member::Entity::find()
        .filter(
            member::Column::Id.is_in(
                fresh
                    .iter()
                    .flat_map(|r| [r.offer_member_id, r.want_member_id])
                    .chain(exchanges.iter().flat_map(|e| [e.giver_id, e.receiver_id]))
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let texts: HashMap<i32, String> = listing::Entity::find()
        .filter(
            listing::Column::Id.is_in(
                fresh
                    .iter()
                    .flat_map(|r| [r.offer_id, r.want_id])
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.text))
        .collect();
    let name = |id: i32| {
        people
            .get(&id)
            .map(|m| m.display_name.clone())
            .unwrap_or_default()
    };
    let no_email = |id: i32| people.get(&id).is_some_and(|m| m.email.is_none());
    let community = |id: i32| community_names.get(&id).cloned().unwrap_or_default();
    let input = WorkerDigestInput {
        worker_name: worker.display_name.clone(),
        base_url: config.base_url.clone(),
        unsubscribe_url,
        new_matches: fresh
            .iter()
            .map(|r| BrokerMatch {
                community: community(r.community_id),
                giver_id: r.offer_member_id,
                giver_name: name(r.offer_member_id),
                offer_text: texts.get(&r.offer_id).cloned().unwrap_or_default(),
                receiver_id: r.want_member_id,
                receiver_name: name(r.want_member_id),
                want_text: texts.get(&r.want_id).cloned().unwrap_or_default(),
                swap: pairs.contains(&(r.want_member_id, r.offer_member_id)),
                needs_worker: no_email(r.offer_member_id) || no_email(r.want_member_id),
            })
            .collect(),
        introductions_pending: worker_introduction_lines(db, &introductions).await?,
        exchanges_unconfirmed: exchanges
            .iter()
            .map(|e| BrokerExchange {
                community: community(e.community_id),
                giver_name: name(e.giver_id),
                receiver_name: name(e.receiver_id),
                minutes: e.minutes,
                description: e.description.clone(),
            })
            .collect(),
    };
    compose_worker(&input).map_err(|e| AppError::Internal(e.to_string()))
}

/// Lines for a worker: "Ann and Bob (waiting for both answers)", about the match.
async fn worker_introduction_lines(
    db: &DatabaseConnection,
    rows: &[entity::introduction::Model],
) -> AppResult<Vec<crate::digest::IntroductionLine>> {
    let mut lines = super::digests::introduction_lines(db, rows, |i| i.giver_id).await?;
    let names = super::members::names(db, rows.iter().map(|i| i.receiver_id)).await?;
    for (line, i) in lines.iter_mut().zip(rows) {
        let status = crate::domain::introduction::Status::parse(&i.status)
            .map(|s| s.label())
            .unwrap_or_default();
        let receiver = names.get(&i.receiver_id).cloned().unwrap_or_default();
        line.other_name = format!("{} and {receiver} ({status})", line.other_name);
    }
    Ok(lines)
}
