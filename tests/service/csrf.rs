//! Every HTML form is refused without the session's CSRF token, and nothing changes.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{PASSWORD, browser, spawn_app};

#[tokio::test]
async fn a_form_post_without_the_token_is_forbidden_and_stores_nothing() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.signup("govan", "ann@example.org", "Ann").await;
    let client = browser();
    app.web_login(&client, "ann@example.org").await;

    let missing = client
        .post(app.url("/offers"))
        .form(&[("text", "Forged offer")])
        .send()
        .await
        .unwrap();
    let wrong = client
        .post(app.url("/offers"))
        .form(&[("text", "Forged offer"), ("csrf_token", "0123456789abcdef")])
        .send()
        .await
        .unwrap();

    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );
    let token = app.token("ann@example.org").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert!(me["offers"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_token_from_another_session_does_not_work() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.signup("govan", "ann@example.org", "Ann").await;
    let attacker = browser();
    let stolen = app.csrf_token(&attacker, "/login").await;
    let victim = browser();

    let response = victim
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", stolen.as_str()),
            ("email", "ann@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn session_cookie_is_http_only() {
    let app = spawn_app().await;
    let response = browser().get(app.url("/login")).send().await.unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("kith_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}
