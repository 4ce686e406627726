//! The outbox under faults: temporary and permanent SMTP refusals, dropped connections, a
//! sender that dies mid-way, two senders at once — every digest delivered exactly once.

use std::collections::HashSet;

use chrono::Duration;
use entity::{mail_preference, outbox};
use kith::mail::Mailer;
use kith::services::{digests, outbox as outbox_service};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::digests::{ann_and_bob, header, mail_app};
use crate::harness::{browser, csrf_from};
use crate::smtp::Outcome;

async fn rows(db: &sea_orm::DatabaseConnection) -> Vec<outbox::Model> {
    outbox::Entity::find().all(db).await.unwrap()
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_after_a_backoff_and_delivered_once() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    m.smtp.script(&[Outcome::Temporary, Outcome::Temporary]);
    let now = kith::services::now();

    let first = m.run(now).await;
    assert_eq!((first.send.sent, first.send.retried), (0, 2), "{first:?}");
    let pending = rows(&m.app.db).await;
    assert!(pending.iter().all(|r| r.status == "pending"
        && r.attempts == 1
        && r.last_error.as_deref().is_some_and(|e| e.contains("451"))));
    // Not due again until the backoff has passed.
    assert_eq!(m.run(now + Duration::seconds(30)).await.send.sent, 0);
    let later = m.run(now + Duration::minutes(2)).await;
    assert_eq!(later.send.sent, 2);
    assert_eq!(m.to("ann@example.org").len(), 1);
    assert_eq!(m.to("bob@example.org").len(), 1);
    assert!(rows(&m.app.db).await.iter().all(|r| r.status == "sent"));
}

#[tokio::test]
async fn a_permanent_refusal_fails_the_digest_and_stops_mail_to_that_address() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    // The first message of the run (Ann's or Bob's) is refused for good.
    m.smtp.script(&[Outcome::Permanent]);
    let now = kith::services::now();
    let report = m.run(now).await;
    assert_eq!((report.send.sent, report.send.failed), (1, 1), "{report:?}");
    let failed: Vec<_> = rows(&m.app.db)
        .await
        .into_iter()
        .filter(|r| r.status == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("550"))
    );
    assert_eq!(failed[0].attempts, 1);

    // Never retried, and the next period composes nothing for that address.
    let later = m.run(now + Duration::days(8)).await;
    assert_eq!(later.send, Default::default());
    let pref = mail_preference::Entity::find()
        .filter(mail_preference::Column::MemberId.eq(failed[0].member_id))
        .one(&m.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        pref.bounced_address.as_deref(),
        Some(failed[0].to_address.as_str())
    );
    assert_eq!(m.smtp.received().len(), 1);
}

#[tokio::test]
async fn a_connection_dropped_mid_message_is_retried_and_delivered_once() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    m.smtp.script(&[Outcome::Drop]);
    let now = kith::services::now();
    let first = m.run(now).await;
    assert_eq!((first.send.sent, first.send.retried), (1, 1), "{first:?}");
    let second = m.run(now + Duration::minutes(2)).await;
    assert_eq!(second.send.sent, 1, "{second:?}");
    let ids: Vec<String> = m
        .smtp
        .received()
        .iter()
        .filter_map(|r| header(&r.data, "Message-ID"))
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 2, "no duplicate");
}

#[tokio::test]
async fn a_sender_stopped_after_composing_or_mid_send_loses_nothing_and_sends_nothing_twice() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    let now = kith::services::now();
    // Composed, then the process "dies" before sending anything.
    let composed = digests::compose_due(&m.app.db, &m.app.config, now, true)
        .await
        .unwrap();
    assert_eq!(composed.composed, 2);
    assert!(m.smtp.received().is_empty());
    // A second instance starts: it claims one row and dies holding the lease.
    let claimed = outbox_service::claim(&m.app.db, now, 1).await.unwrap();
    assert_eq!(claimed.len(), 1);

    // After the restart a fresh sender sends the unclaimed row at once…
    let restarted = Mailer::from_config(&m.app.config.mail).unwrap();
    let from = &m.app.config.mail.from;
    let report = outbox_service::send_due(&m.app.db, &restarted, from, now, 10)
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    // …and the abandoned one once its lease has run out.
    let after_lease = now + outbox_service::LEASE + Duration::seconds(1);
    let report = outbox_service::send_due(&m.app.db, &restarted, from, after_lease, 10)
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    let again = outbox_service::send_due(&m.app.db, &restarted, from, after_lease, 10)
        .await
        .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(m.to("ann@example.org").len(), 1);
    assert_eq!(m.to("bob@example.org").len(), 1);
}

#[tokio::test]
async fn two_senders_at_once_never_send_the_same_digest_twice() {
    let m = mail_app().await;
    let (ann, _) = ann_and_bob(&m.app).await;
    for (i, name) in ["Cat", "Dan", "Eve", "Fay"].iter().enumerate() {
        let t = m
            .app
            .signup("govan", &format!("p{i}@example.org"), name)
            .await;
        m.app.post_listing(&t, "offers", "guitar lessons").await;
    }
    m.app.post_listing(&ann, "offers", "help with forms").await;
    let now = kith::services::now();
    let composed = digests::compose_due(&m.app.db, &m.app.config, now, true)
        .await
        .unwrap()
        .composed;
    assert!(composed >= 5, "{composed}");
    let other = Mailer::from_config(&m.app.config.mail).unwrap();
    let from = &m.app.config.mail.from;
    let (a, b) = tokio::join!(
        outbox_service::send_due(&m.app.db, &m.mailer, from, now, 1),
        outbox_service::send_due(&m.app.db, &other, from, now, 1),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, composed);
    let ids: Vec<String> = m
        .smtp
        .received()
        .iter()
        .filter_map(|r| header(&r.data, "Message-ID"))
        .collect();
    assert_eq!(ids.len(), composed);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), composed);
}

/// Ann and Bob with Ada, govan's admin; the SMTP server refuses Ann's digest for good.
async fn ann_fails_with_an_admin_watching() -> crate::digests::MailApp {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    let govan = m.app.community_id("govan").await;
    m.app
        .member(
            govan,
            "admin@example.org",
            "Ada",
            kith::domain::member::Role::Admin,
        )
        .await;
    m.smtp.script(&[Outcome::Permanent]);
    m.run(kith::services::now()).await;
    m
}

#[tokio::test]
async fn admins_see_failed_digests_with_reasons_and_can_retry_them() {
    let m = ann_fails_with_an_admin_watching().await;

    let resident = browser();
    m.app.web_login(&resident, "ann@example.org").await;
    let (status, _) = m.app.page(&resident, "/admin/outbox").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = browser();
    m.app.web_login(&admin, "admin@example.org").await;
    let (status, html) = m.app.page(&admin, "/admin/outbox").await;
    assert_eq!(status, StatusCode::OK);
    // Bob's digest and Ada's own brokering digest went out; Ann's failed.
    assert!(
        html.contains("failed: 1") && html.contains("sent: 2"),
        "{html}"
    );
    assert!(html.contains("No such mailbox"), "reason shown: {html}");
    let failed = rows(&m.app.db)
        .await
        .into_iter()
        .find(|r| r.status == "failed")
        .unwrap();
    let retry = format!("/admin/outbox/{}/retry", failed.id);
    // Without the form's CSRF token the retry is refused.
    let forged = admin
        .post(m.app.url(&retry))
        .form(&[("csrf_token", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let response = admin
        .post(m.app.url(&retry))
        .form(&[("csrf_token", csrf_from(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let report = m.run(kith::services::now()).await;
    assert_eq!(report.send.sent, 1, "{report:?}");
    assert_eq!(m.to(&failed.to_address).len(), 1);
}

#[tokio::test]
async fn the_outbox_is_also_json_for_admins() {
    let m = ann_fails_with_an_admin_watching().await;
    // An admin of another community looks after that community's mail only.
    let leith = m.app.community("leith").await;
    m.app
        .member(
            leith,
            "leith.admin@example.org",
            "Lou",
            kith::domain::member::Role::Admin,
        )
        .await;
    let ann = m.app.token("ann@example.org").await;
    let (status, _) = crate::harness::problem(m.app.get_api("/api/v1/outbox", &ann).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let lou = m.app.token("leith.admin@example.org").await;
    let theirs: serde_json::Value = m.app.get_json("/api/v1/outbox", &lou).await;
    assert_eq!(theirs["rows"].as_array().map(Vec::len), Some(0), "{theirs}");
    assert!(!theirs.to_string().contains("ann@example.org"));

    let admin = m.app.token("admin@example.org").await;
    let response = m.app.get_api("/api/v1/outbox", &admin).await;
    assert_eq!(response.status(), StatusCode::OK);
    let view: serde_json::Value = response.json().await.unwrap();
    let failed = view["rows"][0].clone();
    assert_eq!(failed["status"], "failed", "failed first: {view}");
    assert!(
        failed["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("550"))
    );
    let retried = m
        .app
        .post_json(
            &format!("/api/v1/outbox/{}/retry", failed["id"]),
            Some(&admin),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(retried.status(), StatusCode::OK);
    let row: serde_json::Value = retried.json().await.unwrap();
    assert_eq!(row["status"], "pending");
    assert_eq!(m.run(kith::services::now()).await.send.sent, 1);
}
