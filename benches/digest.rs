//! Digest benchmark (harness = false): composes and sends one digest per member for
//! `KITH_BENCH_DIGEST_MEMBERS` members (default 10000) against a local SMTP sink, and prints
//! how long composing and sending took and the messages per second.
//!
//! The data is written straight into a temporary SQLite database (members, one offer and one
//! want each, and a strong match to a neighbour both ways), so the figures measure digests,
//! not sign-up or matching.

#[path = "../tests/service/smtp.rs"]
mod smtp;

use std::time::Instant;

use entity::{listing, listing_match, member, membership};
use kith::config::Config;
use kith::mail::Mailer;
use kith::services::{digests, outbox};
use sea_orm::{EntityTrait, Set, TransactionTrait};

const CHUNK: usize = 500;

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("KITH_BENCH_DIGEST_MEMBERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let db = kith::db::connect_and_migrate(&url).await.expect("database");
    let sink = smtp::SmtpServer::start_with(false).await;
    let smtp_url = sink.url();
    let config = Config::from_lookup(|key| match key {
        "KITH_DATABASE_URL" => Some(url.clone()),
        "KITH_SMTP_URL" => Some(smtp_url.clone()),
        "KITH_BASE_URL" => Some("https://kith.example.org".into()),
        _ => None,
    })
    .expect("config");

    let started = Instant::now();
    seed(&db, n).await;
    println!(
        "seeded {n} members in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let now = kith::services::now();
    let t = Instant::now();
    let composed = digests::compose_due(&db, &config, now, true)
        .await
        .expect("compose");
    let compose_s = t.elapsed().as_secs_f64();
    let mailer = Mailer::from_config(&config.mail).expect("mailer");
    let t = Instant::now();
    let sent = outbox::send_due(&db, &mailer, &config.mail.from, now, digests::SEND_BATCH)
        .await
        .expect("send");
    let send_s = t.elapsed().as_secs_f64();
    assert_eq!(sink.accepted(), sent.sent, "the sink got every message");
    let total = compose_s + send_s;
    println!(
        "members {n} | composed {} in {compose_s:.2} s ({:.0}/s) | sent {} in {send_s:.2} s ({:.0}/s) | compose+send {:.0} messages/s",
        composed.composed,
        composed.composed as f64 / compose_s,
        sent.sent,
        sent.sent as f64 / send_s,
        sent.sent as f64 / total,
    );
}

/// Members 0..n in one community; member i offers what member i+1 wants.
async fn seed(db: &sea_orm::DatabaseConnection, n: usize) {
    let now = kith::services::now();
    let txn = db.begin().await.expect("begin");
    let community = entity::community::ActiveModel {
        slug: Set("bench".into()),
        name: Set("Bench".into()),
        host_org: Set(None),
        created_at: Set(now),
        min_balance_minutes: Set(-1200),
        max_balance_minutes: Set(6000),
        ..Default::default()
    };
    let community_id = entity::community::Entity::insert(community)
        .exec(&txn)
        .await
        .expect("community")
        .last_insert_id;
    let ids: Vec<i32> = (1..=n as i32).collect();
    for chunk in ids.chunks(CHUNK) {
        member::Entity::insert_many(chunk.iter().map(|&i| member::ActiveModel {
            id: Set(i),
            display_name: Set(format!("Neighbour {i}")),
            email: Set(Some(format!("n{i}@example.org"))),
            phone: Set(None),
            password_hash: Set(None),
            contact_preference: Set("worker_only".into()),
            created_by: Set(None),
            consent_at: Set(Some(now)),
            consent_method: Set(Some("self".into())),
            needs_second_approval: Set(false),
            created_at: Set(now),
        }))
        .exec(&txn)
        .await
        .expect("members");
        membership::Entity::insert_many(chunk.iter().map(|&i| membership::ActiveModel {
            member_id: Set(i),
            community_id: Set(community_id),
            role: Set("resident".into()),
            created_at: Set(now),
        }))
        .exec(&txn)
        .await
        .expect("memberships");
        // Listing 2i-1 is member i's offer, 2i their want.
        listing::Entity::insert_many(chunk.iter().flat_map(|&i| {
            [
                ("offer", 2 * i - 1, "guitar lessons"),
                ("want", 2 * i, "help with my garden"),
            ]
            .map(|(kind, id, text)| listing::ActiveModel {
                id: Set(id),
                kind: Set(kind.into()),
                member_id: Set(i),
                community_id: Set(community_id),
                text: Set(text.into()),
                category: Set(None),
                mode: Set("either".into()),
                availability: Set(None),
                paused: Set(false),
                deleted_at: Set(None),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
        }))
        .exec(&txn)
        .await
        .expect("listings");
    }
    // Matches point at the next member's want, so they go in once every listing exists.
    for chunk in ids.chunks(CHUNK) {
        listing_match::Entity::insert_many(chunk.iter().map(|&i| {
            let next = i % n as i32 + 1;
            listing_match::ActiveModel {
                offer_id: Set(2 * i - 1),
                want_id: Set(2 * next),
                offer_member_id: Set(i),
                want_member_id: Set(next),
                community_id: Set(community_id),
                score: Set(0.9),
                strong: Set(true),
                why: Set("guitar".into()),
                found_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await
        .expect("matches");
    }
    txn.commit().await.expect("commit");
}
