//! Bad input gets a 4xx problem that names what to fix, and stored data is left as it was.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::harness::{problem, spawn_app};

#[tokio::test]
async fn bad_listing_input_is_refused_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let long = "x".repeat(501);
    let cases = [
        (
            json!({"text": ""}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text",
        ),
        (
            json!({"text": "   "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text",
        ),
        (
            json!({"text": long}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "text",
        ),
        (
            json!({"text": "ok", "mode": "by pigeon"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "mode",
        ),
        (
            json!({"text": "ok", "community": "nowhere"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "community",
        ),
        (
            json!({"txt": "typo in the field name"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
        ),
        (
            json!({"text": 42}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
        ),
    ];
    for (body, expected_status, field) in cases {
        let (status, problem_body) =
            problem(app.post_json("/api/v1/offers", Some(&ann), &body).await).await;
        assert_eq!(status, expected_status, "{body}");
        assert_eq!(problem_body["field"], field, "{body}");
        assert!(!problem_body["detail"].as_str().unwrap().is_empty());
    }

    let me: Value = app.get_json("/api/v1/me", &ann).await;
    assert!(
        me["offers"].as_array().unwrap().is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn over_long_text_says_how_long_it_may_be() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let (_, body) = problem(
        app.post_json(
            "/api/v1/wants",
            Some(&ann),
            &json!({"text": "y".repeat(600)}),
        )
        .await,
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("500 or fewer"),
        "{body}"
    );
}

#[tokio::test]
async fn bad_signups_name_the_field_to_fix() {
    let app = spawn_app().await;
    app.community("govan").await;
    let cases = [
        (
            json!({"community": "govan", "email": "not-an-email", "password": "a long password", "display_name": "Ann"}),
            "email",
        ),
        (
            json!({"community": "govan", "email": "ann@example.org", "password": "short", "display_name": "Ann"}),
            "password",
        ),
        (
            json!({"community": "govan", "email": "ann@example.org", "password": "a long password", "display_name": ""}),
            "display_name",
        ),
        (
            json!({"community": "atlantis", "email": "ann@example.org", "password": "a long password", "display_name": "Ann"}),
            "community",
        ),
    ];
    for (body, field) in cases {
        let (status, problem_body) =
            problem(app.post_json("/api/v1/signup", None, &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem_body["field"], field, "{body}");
    }
    let login = app
        .post_json(
            "/api/v1/login",
            None,
            &json!({"email": "ann@example.org", "password": "a long password"}),
        )
        .await;
    assert_eq!(
        login.status(),
        StatusCode::UNAUTHORIZED,
        "no account was created"
    );
}

#[tokio::test]
async fn malformed_requests_are_400_problems() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;

    let broken_json = Client::new()
        .post(app.url("/api/v1/offers"))
        .bearer_auth(&ann)
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(broken_json).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["detail"].as_str().unwrap().contains("not valid JSON"));

    let (status, _) = problem(app.get_api("/api/v1/offers/not-a-number", &ann).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _) = problem(app.get_api("/api/v1/no-such-thing", &ann).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_empty_patch_is_refused_and_the_offer_is_unchanged() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let id = app.post_listing(&ann, "offers", "Guitar lessons").await;
    let path = format!("/api/v1/offers/{id}");

    let (status, _) = problem(app.patch_json(&path, &ann, &json!({})).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = problem(app.patch_json(&path, &ann, &json!({"text": ""})).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "text");

    let offer: Value = app.get_json(&path, &ann).await;
    assert_eq!(offer["text"], "Guitar lessons");
}

#[tokio::test]
async fn an_invalid_html_form_shows_the_problem_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.signup("govan", "ann@example.org", "Ann").await;
    let client = crate::harness::browser();
    app.web_login(&client, "ann@example.org").await;
    let csrf = app.csrf_token(&client, "/me").await;

    let response = client
        .post(app.url("/wants"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("text", ""),
            ("category", "music <b>"),
            ("mode", "either"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("text must not be empty"));
    assert!(
        html.contains("music &#60;b&#62;") || html.contains("music &lt;b&gt;"),
        "typed value kept, escaped"
    );
}
