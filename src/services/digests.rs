//! Composing digests: for each member (and worker) whose digest is due, gather what is new
//! since their last one, compose it, and write it to the outbox — or nothing if nothing is new.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{account, exchange, mail_preference, member, membership, outbox};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

use crate::config::Config;
use crate::digest::{
    Digest, DigestInput, ExchangeLine, IntroductionLine, MatchLine, NUDGE_MINUTES, compose,
};
use crate::domain::member::Role;
use crate::error::{AppError, AppResult};
use crate::mail::{Mailer, from_domain};

use super::{mail_prefs, matches, outbox as outbox_service};

/// Outbox kinds.
pub const MEMBER: &str = "member";
pub const WORKER: &str = "worker";

/// What one composing pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ComposeReport {
    /// Digests written to the outbox.
    pub composed: usize,
    /// Due, but nothing new to tell.
    pub nothing_new: usize,
}

/// Composes every digest due at `now` (with `force`, whatever the day and hour).
pub async fn compose_due(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
    force: bool,
) -> AppResult<ComposeReport> {
    // Once for everyone (real time, whatever `now` is), so each member's reads need not.
    super::introductions::expire_due(db, super::now()).await?;
    let members = member::Entity::find()
        .filter(member::Column::Email.is_not_null())
        .all(db)
        .await?;
    let prefs: HashMap<i32, mail_preference::Model> = mail_preference::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.member_id, p))
        .collect();
    let staff: HashMap<i32, Vec<i32>> = staff_communities(db).await?;
    let mut due = Vec::new();
    for m in &members {
        let Some(email) = m.email.as_deref() else {
            continue;
        };
        let pref = prefs.get(&m.id);
        if pref.is_some_and(|p| {
            p.unsubscribed_at.is_some() || p.bounced_address.as_deref() == Some(email)
        }) {
            continue;
        }
        let schedule = mail_prefs::schedule_of(pref);
        if let Some(period) = schedule.due_period(now, force) {
            due.push((m, MEMBER, period));
        }
        if staff.contains_key(&m.id)
            && let Some(period) = schedule.worker_period(now, force)
        {
            due.push((m, WORKER, period));
        }
    }
    // One query tells which of these periods already have a digest.
    let keys: HashSet<&str> = due.iter().map(|(_, _, p)| p.as_str()).collect();
    let done: HashSet<(i32, String)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::MemberId)
        .column(outbox::Column::PeriodKey)
        .filter(outbox::Column::PeriodKey.is_in(keys))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    due.retain(|(m, _, period)| !done.contains(&(m.id, period.clone())));
    // Tokens and cursors for everyone due, in a few queries rather than a few per member.
    let tokens = mail_prefs::ensure_tokens(db, due.iter().map(|(m, _, _)| m.id)).await?;
    let covers = outbox_service::last_covers(db).await?;
    let mut report = ComposeReport::default();
    for (m, kind, period) in due {
        let (Some(to), Some(token)) = (m.email.clone(), tokens.get(&m.id)) else {
            continue;
        };
        let since = covers.get(&(m.id, kind.to_string())).copied();
        let unsubscribe_url = format!("{}/unsubscribe/{token}", config.base_url);
        let digest = if kind == WORKER {
            let communities = staff.get(&m.id).cloned().unwrap_or_default();
            let url = unsubscribe_url.clone();
            super::worker_digests::digest(db, config, m, communities, since, now, url).await?
        } else {
            member_digest(db, config, m, since, now, unsubscribe_url.clone()).await?
        };
        let Some(digest) = digest else {
            report.nothing_new += 1;
            continue;
        };
        let message_id = format!(
            "<digest.{}.{}.{}@{}>",
            m.id,
            period.replace(':', "-"),
            &super::tokens::random_secret()[..12],
            from_domain(&config.mail.from)
        );
        // The row carries its own cursor (`covers_until`), so writing it is the whole
        // transaction: either the digest and its "next one starts here" exist, or neither.
        let written = outbox_service::insert(
            db,
            outbox_service::NewDigest {
                member_id: m.id,
                period_key: period,
                kind,
                to,
                subject: digest.subject,
                text: digest.text,
                html: digest.html,
                message_id,
                unsubscribe_url,
                covers_until: now,
            },
        )
        .await?;
        if written {
            report.composed += 1;
        }
    }
    if report.composed > 0 {
        tracing::info!(
            composed = report.composed,
            nothing_new = report.nothing_new,
            "digests composed"
        );
    }
    Ok(report)
}

pub(super) fn is_new(
    found: DateTime<Utc>,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    found <= now && since.is_none_or(|s| found > s)
}

async fn member_digest(
    db: &DatabaseConnection,
    config: &Config,
    m: &member::Model,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    unsubscribe_url: String,
) -> AppResult<Option<Digest>> {
    let found = matches::for_member(db, m.id).await?;
    let line = |x: &matches::MemberMatch| MatchLine {
        other_member_id: x.other_member_id,
        other_name: x.other_name.clone(),
        my_text: x.my_text.clone(),
        their_text: x.their_text.clone(),
        swap: x.swap,
    };
    let fresh = |x: &&matches::MemberMatch| x.strong && is_new(x.found_at, since, now);
    let input = DigestInput {
        member_name: m.display_name.clone(),
        base_url: config.base_url.clone(),
        unsubscribe_url,
        could_help_me: found.could_help_me.iter().filter(fresh).map(line).collect(),
        i_could_help: found.i_could_help.iter().filter(fresh).map(line).collect(),
        introductions_waiting: introductions_waiting(db, m.id, since, now).await?,
        exchanges_waiting: exchanges_waiting(db, m.id, since, now).await?,
        nudge_minutes: nudge(db, m.id).await?,
    };
    compose(&input).map_err(|e| AppError::Internal(e.to_string()))
}

/// Introductions put to `member_id` (or moved on by the other side) since `since` that still
/// wait for their answer.
async fn introductions_waiting(
    db: &impl ConnectionTrait,
    member_id: i32,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<Vec<IntroductionLine>> {
    let rows: Vec<_> = super::introductions::stored_of_member(db, member_id)
        .await?
        .into_iter()
        .filter(|i| {
            super::introductions::awaits_answer_from(i, member_id)
                && is_new(i.updated_at, since, now)
        })
        .collect();
    introduction_lines(db, &rows, |i| {
        if i.giver_id == member_id {
            i.receiver_id
        } else {
            i.giver_id
        }
    })
    .await
}

/// Digest lines for introductions, naming the member `other` picks and the match they are about.
pub(super) async fn introduction_lines(
    db: &impl ConnectionTrait,
    rows: &[entity::introduction::Model],
    other: impl Fn(&entity::introduction::Model) -> i32,
) -> AppResult<Vec<IntroductionLine>> {
    let names =
        super::members::names(db, rows.iter().flat_map(|i| [i.giver_id, i.receiver_id])).await?;
    let texts =
        super::listings::texts(db, rows.iter().flat_map(|i| [i.offer_id, i.want_id])).await?;
    let text = |id: i32| texts.get(&id).cloned().unwrap_or_default();
    Ok(rows
        .iter()
        .map(|i| IntroductionLine {
            other_name: names.get(&other(i)).cloned().unwrap_or_default(),
            about: format!("“{}” for “{}”", text(i.offer_id), text(i.want_id)),
            path: format!("/introductions/{}", i.id),
        })
        .collect())
}

/// Exchanges others recorded with `member_id` since `since`, still waiting for them.
async fn exchanges_waiting(
    db: &impl ConnectionTrait,
    member_id: i32,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<Vec<ExchangeLine>> {
    let rows: Vec<exchange::Model> = exchange::Entity::find()
        .filter(exchange::Column::Status.eq("pending"))
        .filter(exchange::Column::RecordedBy.ne(member_id))
        .filter(
            sea_orm::Condition::any()
                .add(exchange::Column::GiverId.eq(member_id))
                .add(exchange::Column::ReceiverId.eq(member_id)),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|e| is_new(e.created_at, since, now))
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let names = names_of(db, rows.iter().flat_map(|e| [e.giver_id, e.receiver_id])).await?;
    Ok(rows
        .into_iter()
        .map(|e| {
            let reader_gave = e.giver_id == member_id;
            let other = if reader_gave {
                e.receiver_id
            } else {
                e.giver_id
            };
            ExchangeLine {
                other_name: names.get(&other).cloned().unwrap_or_default(),
                minutes: e.minutes,
                description: e.description,
                reader_gave,
            }
        })
        .collect())
}

/// Minutes received beyond given, when that is at least [`NUDGE_MINUTES`].
async fn nudge(db: &impl ConnectionTrait, member_id: i32) -> AppResult<Option<i64>> {
    let net: i64 = account::Entity::find()
        .filter(account::Column::MemberId.eq(member_id))
        .all(db)
        .await?
        .iter()
        .map(|a| a.balance_minutes)
        .sum();
    // A positive balance means given more than received.
    Ok((-net >= NUDGE_MINUTES).then_some(-net))
}

async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, String>> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    Ok(member::Entity::find()
        .filter(member::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.display_name))
        .collect())
}

/// Workers and admins, with the communities they are staff in.
async fn staff_communities(db: &impl ConnectionTrait) -> AppResult<HashMap<i32, Vec<i32>>> {
    let mut staff: HashMap<i32, Vec<i32>> = HashMap::new();
    for m in membership::Entity::find()
        .filter(membership::Column::Role.is_in([Role::Worker.as_str(), Role::Admin.as_str()]))
        .all(db)
        .await?
    {
        staff.entry(m.member_id).or_default().push(m.community_id);
    }
    Ok(staff)
}

/// What one full run (compose, then send) did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    pub compose: ComposeReport,
    pub send: outbox_service::SendReport,
}

/// Messages claimed per round trip to the database while sending.
pub const SEND_BATCH: u64 = 200;

/// One pass of the digest job: compose what is due, then send everything due in the outbox.
pub async fn run(
    db: &DatabaseConnection,
    config: &Config,
    mailer: &Mailer,
    now: DateTime<Utc>,
    force: bool,
) -> AppResult<RunReport> {
    let compose = compose_due(db, config, now, force).await?;
    let send = outbox_service::send_due(db, mailer, &config.mail.from, now, SEND_BATCH).await?;
    if send != outbox_service::SendReport::default() {
        tracing::info!(
            sent = send.sent,
            retried = send.retried,
            failed = send.failed,
            "digests sent"
        );
    }
    Ok(RunReport { compose, send })
}
