//! The contact-details matrix: for each role that is not one of the two members introduced,
//! every page and endpoint that can show a member never shows their email or phone — even
//! while an accepted introduction shares them between those two.

use kith::domain::member::Role;
use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::harness::{TestApp, browser, spawn_app};
use crate::introductions::{
    ANN_EMAIL, ANN_PHONE, BOB_EMAIL, BOB_PHONE, Neighbours, act, neighbours, propose,
};

const SECRETS: [&str; 4] = [ANN_EMAIL, ANN_PHONE, BOB_EMAIL, BOB_PHONE];

/// Ann and Bob, introduced and accepted (so their details are shared between them), with an
/// exchange recorded, a worker's note, and a third resident, Cat.
async fn world(app: &TestApp) -> (Neighbours, i64) {
    let n = neighbours(app, "email_and_phone", "email_and_phone").await;
    let id = propose(app, &n).await["id"].as_i64().unwrap();
    act(app, &n.ann, id, "accept", json!({})).await;
    let (_, body) = act(app, &n.bob, id, "accept", json!({})).await;
    assert_eq!(body["status"], "accepted");
    let response = app
        .post_json(
            "/api/v1/exchanges",
            Some(&n.ann),
            &json!({"giver": n.ann_id, "receiver": n.bob_id, "minutes": 30, "description": "Chords"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .post_json(
            &format!("/api/v1/members/{}/notes", n.ann_id),
            Some(&n.worker),
            &json!({"body": "Prefers mornings"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    (n, id)
}

fn api_paths(n: &Neighbours, intro: i64) -> Vec<String> {
    let (ann, bob) = (n.ann_id, n.bob_id);
    vec![
        format!("/api/v1/members/{ann}"),
        format!("/api/v1/members/{bob}"),
        "/api/v1/offers".into(),
        "/api/v1/wants".into(),
        format!("/api/v1/offers/{}", n.offer),
        format!("/api/v1/wants/{}", n.want),
        "/api/v1/matches".into(),
        "/api/v1/introductions".into(),
        format!("/api/v1/introductions/{intro}"),
        format!("/api/v1/introductions/{intro}/notes"),
        "/api/v1/exchanges".into(),
        format!("/api/v1/members/{ann}/ledger"),
        format!("/api/v1/members/{ann}/notes"),
        "/api/v1/worker/dashboard".into(),
    ]
}

fn html_paths(n: &Neighbours, intro: i64) -> Vec<String> {
    let (ann, bob) = (n.ann_id, n.bob_id);
    vec![
        "/".into(),
        format!("/members/{ann}"),
        format!("/members/{bob}"),
        "/browse?kind=offers".into(),
        "/browse?kind=wants&q=guitar".into(),
        "/matches".into(),
        "/introductions".into(),
        format!("/introductions/{intro}"),
        "/exchanges".into(),
        "/worker".into(),
        format!("/worker/members/{ann}"),
        format!("/worker/members/{ann}/sheet"),
    ]
}

async fn assert_nothing_leaks(
    app: &TestApp,
    who: &str,
    token: Option<&str>,
    client: &Client,
    n: &Neighbours,
    intro: i64,
) {
    let mut checked = 0;
    for path in api_paths(n, intro) {
        let mut request = Client::new().get(app.url(&path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{who} {path}");
        let body = response.text().await.unwrap();
        for secret in SECRETS {
            assert!(
                !body.contains(secret),
                "{who} sees {secret} at {path} ({status})"
            );
        }
        assert!(
            !body.contains("Prefers mornings"),
            "{who} reads a worker's note at {path}"
        );
        checked += 1;
    }
    for path in html_paths(n, intro) {
        let (status, html) = app.page(client, &path).await;
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{who} {path}");
        for secret in SECRETS {
            assert!(
                !html.contains(secret),
                "{who} sees {secret} on {path} ({status})"
            );
        }
        assert!(
            !html.contains("Prefers mornings"),
            "{who} reads a worker's note on {path}"
        );
        checked += 1;
    }
    assert!(checked > 20);
}

#[tokio::test]
async fn another_resident_never_sees_their_neighbours_contact_details() {
    let app = spawn_app().await;
    let (n, intro) = world(&app).await;
    let cat = app.signup("govan", "cat@example.org", "Cat").await;
    let client = browser();
    app.web_login(&client, "cat@example.org").await;
    assert_nothing_leaks(&app, "another resident", Some(&cat), &client, &n, intro).await;
}

#[tokio::test]
async fn another_communitys_worker_never_sees_them() {
    let app = spawn_app().await;
    let (n, intro) = world(&app).await;
    let leith = app.community("leith").await;
    app.member(leith, "leith.worker@example.org", "Lou", Role::Worker)
        .await;
    let token = app.token("leith.worker@example.org").await;
    let client = browser();
    app.web_login(&client, "leith.worker@example.org").await;
    assert_nothing_leaks(
        &app,
        "another community's worker",
        Some(&token),
        &client,
        &n,
        intro,
    )
    .await;
}

#[tokio::test]
async fn an_anonymous_visitor_never_sees_them() {
    let app = spawn_app().await;
    let (n, intro) = world(&app).await;
    assert_nothing_leaks(&app, "anonymous", None, &browser(), &n, intro).await;
}

#[tokio::test]
async fn the_two_members_introduced_do_see_each_other_so_the_matrix_can_fail() {
    let app = spawn_app().await;
    let (n, intro) = world(&app).await;
    let body = app
        .get_api(&format!("/api/v1/introductions/{intro}"), &n.bob)
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains(ANN_EMAIL) && body.contains(ANN_PHONE));
    let client = browser();
    app.web_login(&client, ANN_EMAIL).await;
    let (_, html) = app.page(&client, &format!("/introductions/{intro}")).await;
    assert!(html.contains(BOB_EMAIL) && html.contains(BOB_PHONE));
}
