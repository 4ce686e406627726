//! The timebank through the HTML pages: recording, confirming, and who sees a member's figures.

use kith::domain::member::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::spawn_app;
use crate::timebank::{balance, confirm, ledger, me_id, recorded};

#[tokio::test]
async fn time_is_recorded_and_confirmed_through_the_html_pages() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let bob_id = me_id(&app, &bob).await;
    let ann_id = me_id(&app, &ann).await;
    let ann_browser = crate::harness::browser();
    app.web_login(&ann_browser, "ann@example.org").await;

    let csrf = app.csrf_token(&ann_browser, "/exchanges").await;
    let bob_field = bob_id.to_string();
    let recorded = ann_browser
        .post(app.url("/exchanges"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("direction", "gave"),
            ("other", bob_field.as_str()),
            ("hours", "1"),
            ("minutes", "30"),
            ("date", &chrono::Utc::now().date_naive().to_string()),
            ("description", "Put up shelves"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);

    let bob_browser = crate::harness::browser();
    app.web_login(&bob_browser, "bob@example.org").await;
    let (_, html) = app.page(&bob_browser, "/exchanges").await;
    assert!(html.contains("Waiting for you to confirm"));
    assert!(html.contains("Ann gave Bob 1 h 30 min"));
    let exchanges: Vec<Value> = app.get_json("/api/v1/exchanges", &bob).await;
    let id = exchanges[0]["id"].as_i64().unwrap();
    let csrf = app.csrf_token(&bob_browser, "/exchanges").await;
    let confirmed = bob_browser
        .post(app.url(&format!("/exchanges/{id}/confirm")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);

    assert_eq!(balance(&ledger(&app, &ann, ann_id).await), 90);
    let (_, html) = app.page(&ann_browser, "/exchanges").await;
    assert!(
        html.contains("Balance: <strong>1 h 30 min</strong>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_members_page_shows_their_timebank_only_to_them_and_their_workers() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    app.member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    app.signup("govan", "cat@example.org", "Cat").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);
    let recorded: Value = recorded(&app, &ann, ann_id, bob_id, 45).await;
    confirm(&app, &bob, &recorded["id"]).await;

    for (email, sees) in [
        ("ann@example.org", true),
        ("worker@example.org", true),
        ("cat@example.org", false),
    ] {
        let browser = crate::harness::browser();
        app.web_login(&browser, email).await;
        let (status, html) = app.page(&browser, &format!("/members/{ann_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            html.contains("Balance <strong>45 min</strong>"),
            sees,
            "{email}"
        );
        assert_eq!(html.contains("Helped with the garden"), sees, "{email}");
    }
}
