//! What digests contain beyond matches: waiting exchanges and the nudge, residents without
//! email (their worker is told), and `.eml` files from the command line without SMTP.

use kith::domain::member::Role;
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::digests::{decoded, header, mail_app};

/// Runs the `kith` binary with `database_url` and `mail_dir`.
fn kith_cli(database_url: &str, mail_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .env("KITH_DATABASE_URL", database_url)
        .env("KITH_MAIL_DIR", mail_dir)
        .env_remove("KITH_SMTP_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run kith")
}

fn eml_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn without_smtp_the_cli_writes_digests_as_eml_files_once_per_period() {
    let (url, _db_dir) = crate::harness::fresh_database().await;
    let mail = tempfile::tempdir().unwrap();
    let mail_dir = mail.path().join("mail-out");
    let demo = kith_cli(&url, &mail_dir, &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );

    let run = kith_cli(&url, &mail_dir, &["digest", "run", "--now"]);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let files = eml_files(&mail_dir);
    assert!(!files.is_empty(), "{stdout}");
    assert!(
        stdout.contains(&format!("{} sent", files.len())),
        "{stdout}"
    );
    assert!(files.iter().all(
        |f| f.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
            && f.contains("multipart/alternative")
    ));

    let again = kith_cli(&url, &mail_dir, &["digest", "run", "--now"]);
    assert!(again.status.success());
    assert_eq!(
        eml_files(&mail_dir).len(),
        files.len(),
        "nothing sent twice"
    );
}

#[tokio::test]
async fn residents_without_email_get_no_digest_and_their_worker_is_told_instead() {
    use sea_orm::{ActiveModelTrait, Set};
    let m = mail_app().await;
    let govan = m.app.community("govan").await;
    m.app
        .member(govan, "morag@example.org", "Morag", Role::Worker)
        .await;
    let morag = m.app.token("morag@example.org").await;
    let response = m
        .app
        .post_json(
            "/api/v1/residents",
            Some(&morag),
            &json!({"community": "govan", "display_name": "Dot", "consent_method": "in_person", "consent_given": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let dot: Value = response.json().await.unwrap();
    let dot_id = dot["id"].as_i64().unwrap() as i32;
    let bob = m.app.signup("govan", "bob@example.org", "Bob").await;
    let offer = m.app.post_listing(&bob, "offers", "Guitar lessons").await as i32;
    let bob_id = crate::timebank::me_id(&m.app, &bob).await as i32;
    // Dot's want, as her worker would add it with her, and the matcher's strong match.
    let now = kith::services::now();
    let want = entity::listing::ActiveModel {
        kind: Set("want".into()),
        member_id: Set(dot_id),
        community_id: Set(govan),
        text: Set("guitar lessons".into()),
        category: Set(None),
        mode: Set("either".into()),
        availability: Set(None),
        paused: Set(false),
        deleted_at: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&m.app.db)
    .await
    .unwrap();
    entity::listing_match::ActiveModel {
        offer_id: Set(offer),
        want_id: Set(want.id),
        offer_member_id: Set(bob_id),
        want_member_id: Set(dot_id),
        community_id: Set(govan),
        score: Set(0.9),
        strong: Set(true),
        why: Set("guitar".into()),
        found_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&m.app.db)
    .await
    .unwrap();

    m.run(kith::services::now()).await;
    let received = m.smtp.received();
    assert!(
        received.iter().all(|r| r.to.len() == 1),
        "one recipient per digest"
    );
    assert_eq!(m.to("bob@example.org").len(), 1);
    let worker = m.to("morag@example.org");
    assert_eq!(worker.len(), 1);
    let body = decoded(&worker[0].data);
    assert!(body.contains("Bob could help Dot"), "{body}");
    assert!(
        body.contains("no email: only you can pass this on"),
        "{body}"
    );
    assert_eq!(
        received.len(),
        2,
        "Dot has no address: no digest of her own"
    );
}

#[tokio::test]
async fn exchanges_waiting_for_confirmation_are_news_and_big_receivers_get_a_nudge() {
    use crate::timebank::{confirm, me_id, recorded};
    let m = mail_app().await;
    m.app.community("govan").await;
    let ann = m.app.signup("govan", "ann@example.org", "Ann").await;
    let bob = m.app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&m.app, &ann).await, me_id(&m.app, &bob).await);
    let big = recorded(&m.app, &ann, ann_id, bob_id, 660).await;
    assert_eq!(
        confirm(&m.app, &bob, &big["id"]).await.status(),
        StatusCode::OK
    );
    recorded(&m.app, &ann, ann_id, bob_id, 90).await;

    m.run(kith::services::now()).await;
    // Ann recorded it herself: nothing waits for her, so she gets nothing.
    assert!(m.to("ann@example.org").is_empty());
    let bob_mail = m.to("bob@example.org");
    assert_eq!(bob_mail.len(), 1);
    assert_eq!(
        header(&bob_mail[0].data, "Subject").as_deref(),
        Some("kith: one thing is waiting for you")
    );
    let body = decoded(&bob_mail[0].data);
    assert!(body.contains("Ann gave you 1.5 hours"), "{body}");
    assert!(body.contains(&format!("{}/exchanges", m.app.address)));
    assert!(body.contains("given you 11 hours more"), "nudge: {body}");
}

#[tokio::test]
async fn the_server_runs_the_digest_job_on_its_own_timer() {
    let (url, _db_dir) = crate::harness::fresh_database().await;
    let mail = tempfile::tempdir().unwrap();
    let mail_dir = mail.path().join("mail-out");
    assert!(kith_cli(&url, &mail_dir, &["demo"]).status.success());
    // Daily from midnight: due whatever the day and hour the test runs at.
    let db = kith::db::connect(&url).await.unwrap();
    let schedule = kith::digest::schedule::Schedule::parse("daily", 0, 0).unwrap();
    for m in entity::member::Entity::find().all(&db).await.unwrap() {
        kith::services::mail_prefs::set_schedule(&db, m.id, schedule)
            .await
            .unwrap();
    }
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("serve")
        .env("KITH_DATABASE_URL", &url)
        .env("KITH_MAIL_DIR", &mail_dir)
        .env("KITH_BIND", "127.0.0.1:0")
        .env("KITH_DIGEST_INTERVAL", "1")
        .env_remove("KITH_SMTP_URL")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start kith serve");
    let mut files = Vec::new();
    for _ in 0..100 {
        files = eml_files(&mail_dir);
        if !files.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(!files.is_empty(), "the server wrote no digest within 10 s");
    assert!(files.iter().all(|f| f.contains("List-Unsubscribe:")));
}
