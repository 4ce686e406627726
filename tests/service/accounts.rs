//! Sign-up, login, logout and assisted sign-up, through the API and the HTML forms.

use kith::domain::member::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{PASSWORD, browser, problem, spawn_app};

#[tokio::test]
async fn resident_signs_up_logs_in_and_sees_themselves() {
    let app = spawn_app().await;
    app.community("govan").await;

    let token = app.signup("govan", "Ann@Example.org", "Ann").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;

    assert_eq!(me["display_name"], "Ann");
    assert_eq!(me["email"], "ann@example.org");
    assert_eq!(me["communities"][0]["community"], "govan");
    assert_eq!(me["communities"][0]["role"], "resident");
    assert_eq!(me["consent_method"], "self");
}

#[tokio::test]
async fn wrong_password_is_401_and_unknown_email_looks_the_same() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.signup("govan", "ann@example.org", "Ann").await;

    for email in ["ann@example.org", "nobody@example.org"] {
        let response = app
            .post_json(
                "/api/v1/login",
                None,
                &json!({"email": email, "password": "not the password"}),
            )
            .await;
        let (status, body) = problem(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["detail"], "you need to log in to do that");
    }
}

#[tokio::test]
async fn signing_up_twice_with_one_email_is_409_and_keeps_the_first_account() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.signup("govan", "ann@example.org", "Ann").await;

    let response = app
        .post_json(
            "/api/v1/signup",
            None,
            &json!({"community": "govan", "email": "ANN@example.org", "password": "another long password", "display_name": "Impostor"}),
        )
        .await;
    let (status, body) = problem(response).await;

    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["detail"].as_str().unwrap().contains("log in instead"));
    let token = app.token("ann@example.org").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert_eq!(me["display_name"], "Ann");
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = spawn_app().await;
    app.community("govan").await;
    let token = app.signup("govan", "ann@example.org", "Ann").await;

    let response = app
        .post_json("/api/v1/logout", Some(&token), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let (status, _) = problem(app.get_api("/api/v1/me", &token).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_without_a_token_is_401_problem() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/api/v1/me")).await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, _) = problem(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn resident_signs_up_and_logs_in_through_the_html_forms() {
    let app = spawn_app().await;
    app.community("govan").await;
    let client = browser();

    let csrf = app.csrf_token(&client, "/signup").await;
    let response = client
        .post(app.url("/signup"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("community", "govan"),
            ("display_name", "Bea"),
            ("email", "bea@example.org"),
            ("password", PASSWORD),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, html) = app.page(&client, "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Hello, Bea"));

    // Log out, then the profile sends us to the login page; logging in brings it back.
    let csrf = app.csrf_token(&client, "/me").await;
    let response = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = client.get(app.url("/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );

    app.web_login(&client, "bea@example.org").await;
    let (_, html) = app.page(&client, "/me").await;
    assert!(html.contains("Hello, Bea"));
}

#[tokio::test]
async fn html_signup_without_consent_is_refused_and_creates_nobody() {
    let app = spawn_app().await;
    app.community("govan").await;
    let client = browser();

    let csrf = app.csrf_token(&client, "/signup").await;
    let response = client
        .post(app.url("/signup"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("community", "govan"),
            ("display_name", "Bea"),
            ("email", "bea@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("tick the box"));
    let login = app
        .post_json(
            "/api/v1/login",
            None,
            &json!({"email": "bea@example.org", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn worker_signs_up_a_resident_without_email_recording_consent() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    let worker_id = app
        .member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let token = app.token("worker@example.org").await;

    let response = app
        .post_json(
            "/api/v1/residents",
            Some(&token),
            &json!({"community": "govan", "display_name": "Jean", "phone": "0141 555 0199",
                    "consent_method": "in_person", "consent_given": true}),
        )
        .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["email"], Value::Null);
    assert_eq!(body["created_by"], worker_id);
    assert_eq!(body["consent_method"], "in_person");
    assert!(body["consent_at"].is_string());
    assert_eq!(body["contact_preference"], "worker_only");
}

#[tokio::test]
async fn residents_cannot_use_assisted_sign_up_and_consent_is_required() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    app.member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let resident = app.signup("govan", "ann@example.org", "Ann").await;
    let worker = app.token("worker@example.org").await;
    let body = json!({"community": "govan", "display_name": "Jean", "consent_method": "in_person", "consent_given": true});

    let (status, _) = problem(
        app.post_json("/api/v1/residents", Some(&resident), &body)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let no_consent = json!({"community": "govan", "display_name": "Jean", "consent_method": "in_person", "consent_given": false});
    let (status, problem_body) = problem(
        app.post_json("/api/v1/residents", Some(&worker), &no_consent)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_body["field"], "consent_given");
}

#[tokio::test]
async fn worker_signs_up_a_resident_through_the_html_form() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    app.member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let client = browser();
    app.web_login(&client, "worker@example.org").await;

    let csrf = app.csrf_token(&client, "/worker/residents/new").await;
    let response = client
        .post(app.url("/worker/residents"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("community", "govan"),
            ("display_name", "Jean"),
            ("email", ""),
            ("phone", ""),
            ("consent_method", "paper_form"),
            ("consent_given", "yes"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let (status, html) = app.page(&client, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Jean is signed up"));
}
