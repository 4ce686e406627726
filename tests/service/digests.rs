//! Email digests end to end: composed from new matches, sent over real SMTP to an in-test
//! server, with both parts and the unsubscribe headers, and never the same news twice.

use chrono::{DateTime, Duration, Utc};
use kith::domain::member::Role;
use kith::mail::Mailer;
use kith::services::digests::{self, RunReport};
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::harness::{TestApp, spawn_app_with};
use crate::smtp::{Received, SmtpServer};

/// A kith whose digests go to an in-test SMTP server.
pub struct MailApp {
    pub app: TestApp,
    pub smtp: SmtpServer,
    pub mailer: Mailer,
}

pub async fn mail_app() -> MailApp {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(&[("KITH_SMTP_URL", smtp.url())]).await;
    let mailer = Mailer::from_config(&app.config.mail).expect("mailer");
    MailApp { app, smtp, mailer }
}

impl MailApp {
    /// One pass of the digest job at `now`, whatever the members' day and hour.
    pub async fn run(&self, now: DateTime<Utc>) -> RunReport {
        digests::run(&self.app.db, &self.app.config, &self.mailer, now, true)
            .await
            .expect("digest run")
    }

    /// Messages received for `address`.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.smtp
            .received()
            .into_iter()
            .filter(|m| m.to == [address])
            .collect()
    }
}

/// The message with quoted-printable soft line breaks and escapes undone (bodies are ASCII).
pub fn decoded(data: &str) -> String {
    let joined = data.replace("=\r\n", "");
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(i) = rest.find('=') {
        out.push_str(&rest[..i]);
        match u8::from_str_radix(rest.get(i + 1..i + 3).unwrap_or("zz"), 16) {
            Ok(byte) => {
                out.push(byte as char);
                rest = &rest[i + 3..];
            }
            Err(_) => {
                out.push('=');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of header `name` in a raw message.
pub fn header(data: &str, name: &str) -> Option<String> {
    let prefix = format!("{name}: ");
    data.lines()
        .take_while(|l| !l.is_empty())
        .find(|l| l.starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_string())
}

/// Ann wants guitar lessons, Bob offers them: a strong match both ways.
pub async fn ann_and_bob(app: &TestApp) -> (String, String) {
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    app.post_listing(&ann, "wants", "guitar lessons for my son")
        .await;
    app.post_listing(&bob, "offers", "Guitar lessons for beginners")
        .await;
    (ann, bob)
}

#[tokio::test]
async fn digests_carry_new_matches_both_ways_over_smtp_and_a_second_run_sends_nothing() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    let now = kith::services::now();

    let report = m.run(now).await;
    assert_eq!(report.compose.composed, 2, "{report:?}");
    assert_eq!(
        report.send.sent,
        2,
        "{:?}",
        entity::outbox::Entity::find().all(&m.app.db).await
    );
    let ann = m.to("ann@example.org");
    let bob = m.to("bob@example.org");
    assert_eq!((ann.len(), bob.len()), (1, 1), "{:?}", m.smtp.received());

    let raw = &ann[0].data;
    assert_eq!(ann[0].from, "kith@localhost");
    assert_eq!(
        header(raw, "Subject").as_deref(),
        Some("kith: A neighbour could help you")
    );
    assert_eq!(
        header(&bob[0].data, "Subject").as_deref(),
        Some("kith: A neighbour would love your help")
    );
    assert!(raw.contains("multipart/alternative"));
    assert!(raw.contains("Content-Type: text/plain"));
    assert!(raw.contains("Content-Type: text/html"));
    let unsubscribe = header(raw, "List-Unsubscribe").expect("List-Unsubscribe");
    assert!(
        unsubscribe.starts_with(&format!("<{}/unsubscribe/", m.app.address)),
        "{unsubscribe}"
    );
    assert_eq!(
        header(raw, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(header(raw, "Message-ID").is_some_and(|id| id.starts_with("<digest.")));
    let body = decoded(raw);
    assert!(body.contains("Bob"), "{body}");
    assert!(body.contains("Guitar lessons for beginners"));
    assert!(body.contains(&format!("{}/members/", m.app.address)));
    assert!(
        !body.contains("bob@example.org"),
        "no contact details of anyone"
    );

    // Same period, nothing new: nothing more is composed or sent.
    let again = m.run(now).await;
    assert_eq!(again.compose.composed, 0);
    assert_eq!(again.send.sent, 0);
    // Next week, still nothing new: a due digest with no news is not sent.
    let next_week = m.run(now + Duration::days(8)).await;
    assert_eq!(next_week.compose.composed, 0);
    assert_eq!(next_week.compose.nothing_new, 2);
    assert_eq!(m.smtp.received().len(), 2);
}

#[tokio::test]
async fn the_next_digest_holds_only_matches_found_since_the_last_one() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    let first = kith::services::now();
    m.run(first).await;
    let cat = m.app.signup("govan", "cat@example.org", "Cat").await;
    m.app
        // As good as Bob's offer, so the match is strong for Ann too.
        .post_listing(&cat, "offers", "guitar lessons for beginners")
        .await;

    let later = kith::services::now() + Duration::days(7);
    let report = m.run(later).await;
    // Ann hears of Cat; Cat hears of Ann; Bob has nothing new.
    assert_eq!(report.send.sent, 2, "{report:?}");
    let ann = m.to("ann@example.org");
    assert_eq!(ann.len(), 2);
    let second = decoded(&ann[1].data);
    assert!(second.contains("Cat"), "{second}");
    assert!(
        !second.contains("Bob"),
        "Bob was in the last digest: {second}"
    );
    assert_eq!(m.to("bob@example.org").len(), 1);
    assert_eq!(m.to("cat@example.org").len(), 1);
}

#[tokio::test]
async fn schedules_are_respected_and_set_through_the_api() {
    let m = mail_app().await;
    let (ann, _bob) = ann_and_bob(&m.app).await;
    let response = m
        .app
        .patch_json(
            "/api/v1/me",
            &ann,
            &json!({"digest_frequency": "daily", "digest_hour": 18}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["digest"]["frequency"], "daily");
    assert_eq!(me["digest"]["hour"], 18);
    assert_eq!(me["display_name"], "Ann", "other details untouched");
    let bad = m
        .app
        .patch_json("/api/v1/me", &ann, &json!({"digest_frequency": "hourly"}))
        .await;
    let (status, problem) = crate::harness::problem(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], "digest_frequency");

    // A scheduled (not forced) run at 10:00 on a Tuesday: Ann (daily from 18:00) is not due,
    // Bob (weekly from Monday 08:00) is.
    let tuesday_ten = "2030-01-08T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
    let run = |now| digests::run(&m.app.db, &m.app.config, &m.mailer, now, false);
    run(tuesday_ten).await.unwrap();
    assert!(m.to("ann@example.org").is_empty());
    assert_eq!(m.to("bob@example.org").len(), 1);
    run(tuesday_ten + Duration::hours(8)).await.unwrap();
    assert_eq!(m.to("ann@example.org").len(), 1);

    m.app
        .patch_json("/api/v1/me", &ann, &json!({"digest_frequency": "off"}))
        .await;
    let cat = m.app.signup("govan", "cat@example.org", "Cat").await;
    m.app.post_listing(&cat, "offers", "guitar lessons").await;
    m.run(tuesday_ten + Duration::days(2)).await;
    assert_eq!(m.to("ann@example.org").len(), 1, "off means off");
}

#[tokio::test]
async fn workers_get_a_brokering_digest_of_their_communities() {
    let m = mail_app().await;
    let govan = m.app.community("govan").await;
    m.app
        .member(govan, "morag@example.org", "Morag", Role::Worker)
        .await;
    ann_and_bob_in(&m.app).await;
    let report = m.run(kith::services::now()).await;
    assert_eq!(report.send.sent, 3, "{report:?}");
    let morag = m.to("morag@example.org");
    assert_eq!(morag.len(), 1);
    let raw = &morag[0].data;
    assert!(
        header(raw, "Subject").is_some_and(|s| s.starts_with("kith brokering: 1 new match")),
        "{raw}"
    );
    let body = decoded(raw);
    assert!(body.contains("Bob could help Ann"), "{body}");
}

async fn ann_and_bob_in(app: &TestApp) {
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    app.post_listing(&ann, "wants", "guitar lessons for my son")
        .await;
    app.post_listing(&bob, "offers", "Guitar lessons for beginners")
        .await;
}
