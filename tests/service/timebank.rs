//! Exchanges, confirmation, disputes, limits, group sessions, reversals and who may do what.

use kith::domain::member::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, problem, spawn_app};

pub async fn me_id(app: &TestApp, token: &str) -> i64 {
    let me: Value = app.get_json("/api/v1/me", token).await;
    me["id"].as_i64().unwrap()
}

pub async fn record(
    app: &TestApp,
    token: &str,
    giver: i64,
    receiver: i64,
    minutes: i64,
) -> reqwest::Response {
    app.post_json(
        "/api/v1/exchanges",
        Some(token),
        &json!({"giver": giver, "receiver": receiver, "minutes": minutes, "description": "Helped with the garden"}),
    )
    .await
}

/// Records an exchange as `token` and returns it as stored.
pub async fn recorded(
    app: &TestApp,
    token: &str,
    giver: i64,
    receiver: i64,
    minutes: i64,
) -> Value {
    record(app, token, giver, receiver, minutes)
        .await
        .json()
        .await
        .unwrap()
}

/// Confirms exchange `id` as `token`.
pub async fn confirm(app: &TestApp, token: &str, id: &Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/exchanges/{id}/confirm"),
        Some(token),
        &json!({}),
    )
    .await
}

pub async fn ledger(app: &TestApp, token: &str, member: i64) -> Value {
    let response = app
        .get_api(&format!("/api/v1/members/{member}/ledger"), token)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub fn balance(statement: &Value) -> i64 {
    statement["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["balance_minutes"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn an_exchange_is_posted_once_the_other_side_confirms_it() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);

    let recorded: Value = recorded(&app, &ann, ann_id, bob_id, 90).await;
    assert_eq!(recorded["status"], "pending");
    assert_eq!(
        balance(&ledger(&app, &ann, ann_id).await),
        0,
        "nothing posted before confirmation"
    );
    let id = recorded["id"].as_i64().unwrap();
    let confirm = format!("/api/v1/exchanges/{id}/confirm");

    let (status, _) = problem(app.post_json(&confirm, Some(&ann), &json!({})).await).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the recorder cannot confirm their own record"
    );

    for _ in 0..2 {
        let response = app.post_json(&confirm, Some(&bob), &json!({})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "confirmed");
    }

    let anns = ledger(&app, &ann, ann_id).await;
    assert_eq!(balance(&anns), 90);
    assert_eq!(
        anns["history"].as_array().unwrap().len(),
        1,
        "confirming twice posts once"
    );
    assert_eq!(anns["reciprocity"]["minutes_given"], 90);
    assert_eq!(anns["reciprocity"]["people_exchanged_with"], 1);
    let bobs = ledger(&app, &bob, bob_id).await;
    assert_eq!(balance(&bobs), -90);
    assert_eq!(bobs["reciprocity"]["minutes_received"], 90);
    assert!(bobs["reciprocity"]["first_receive"].is_string());
}

#[tokio::test]
async fn a_disputed_exchange_is_never_posted() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);
    let recorded: Value = recorded(&app, &ann, ann_id, bob_id, 600).await;
    let id = recorded["id"].as_i64().unwrap();

    let disputed: Value = app
        .post_json(
            &format!("/api/v1/exchanges/{id}/dispute"),
            Some(&bob),
            &json!({"reason": "It was one hour, not ten"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(disputed["status"], "disputed");
    assert_eq!(disputed["dispute_reason"], "It was one hour, not ten");

    let (status, _) = problem(
        app.post_json(
            &format!("/api/v1/exchanges/{id}/confirm"),
            Some(&bob),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(balance(&ledger(&app, &ann, ann_id).await), 0);
}

#[tokio::test]
async fn a_posting_past_the_communitys_limit_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);

    // Bob may receive at most 20 hours before giving (the default limit).
    let first: Value = recorded(&app, &ann, ann_id, bob_id, 20 * 60).await;
    let ok = confirm(&app, &bob, &first["id"]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let second: Value = recorded(&app, &ann, ann_id, bob_id, 1).await;
    let (status, body) = problem(confirm(&app, &bob, &second["id"]).await).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("Bob") && detail.contains("below the community's limit of -20 h"),
        "{detail}"
    );
    assert_eq!(balance(&ledger(&app, &bob, bob_id).await), -20 * 60);
}

#[tokio::test]
async fn residents_cannot_post_for_others_confirm_others_or_read_others_ledgers() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let cat = app.signup("govan", "cat@example.org", "Cat").await;
    app.member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let worker = app.token("worker@example.org").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);

    let (status, _) = problem(record(&app, &cat, ann_id, bob_id, 60).await).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "Cat cannot record Ann and Bob's exchange"
    );

    let recorded: Value = recorded(&app, &ann, ann_id, bob_id, 60).await;
    let confirm = format!("/api/v1/exchanges/{}/confirm", recorded["id"]);
    let (status, _) = problem(app.post_json(&confirm, Some(&cat), &json!({})).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Cat is not party to it");

    let (status, _) = problem(
        app.get_api(&format!("/api/v1/members/{ann_id}/ledger"), &cat)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_api(&format!("/api/v1/members/{ann_id}/ledger"), &worker)
            .await
            .status(),
        StatusCode::OK
    );
    let cats: Vec<Value> = app.get_json("/api/v1/exchanges", &cat).await;
    assert!(cats.is_empty());
}

#[tokio::test]
async fn a_worker_records_and_confirms_for_a_resident_without_email() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    app.member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let worker = app.token("worker@example.org").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let ann_id = me_id(&app, &ann).await;
    let jean: Value = app
        .post_json("/api/v1/residents", Some(&worker), &json!({"community": "govan", "display_name": "Jean", "consent_method": "in_person", "consent_given": true}))
        .await
        .json()
        .await
        .unwrap();
    let jean_id = jean["id"].as_i64().unwrap();

    // Ann records that Jean gave her an hour; Jean cannot log in, so the worker confirms for her.
    let recorded: Value = recorded(&app, &ann, jean_id, ann_id, 60).await;
    let confirmed: Value = confirm(&app, &worker, &recorded["id"])
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(confirmed["status"], "confirmed");
    assert_eq!(confirmed["assisted"], true);
    assert_eq!(balance(&ledger(&app, &worker, jean_id).await), 60);
}

#[tokio::test]
async fn a_group_session_pays_the_host_once_from_the_community_account() {
    let app = spawn_app().await;
    app.community("govan").await;
    let host = app.signup("govan", "host@example.org", "Hazel").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (host_id, ann_id, bob_id) = (
        me_id(&app, &host).await,
        me_id(&app, &ann).await,
        me_id(&app, &bob).await,
    );

    let response = app
        .post_json(
            "/api/v1/activities",
            Some(&host),
            &json!({"host": host_id, "title": "Knitting circle", "minutes": 120, "attendees": [ann_id, bob_id]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["attendees"], json!([ann_id, bob_id]));

    assert_eq!(balance(&ledger(&app, &host, host_id).await), 120);
    assert_eq!(
        balance(&ledger(&app, &ann, ann_id).await),
        0,
        "attending is not a debt"
    );
    let (status, _) = problem(
        app.post_json(
            "/api/v1/activities",
            Some(&ann),
            &json!({"host": host_id, "title": "x", "minutes": 60, "attendees": [bob_id]}),
        )
        .await,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the host or a worker records a session"
    );
}

#[tokio::test]
async fn a_worker_reverses_a_mistake_once_with_a_reason() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    app.member(govan, "worker@example.org", "Morag", Role::Worker)
        .await;
    let worker = app.token("worker@example.org").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);
    let recorded: Value = recorded(&app, &ann, ann_id, bob_id, 300).await;
    let confirmed: Value = confirm(&app, &bob, &recorded["id"])
        .await
        .json()
        .await
        .unwrap();
    let reverse = format!("/api/v1/postings/{}/reverse", confirmed["posting_id"]);

    let (status, _) = problem(
        app.post_json(&reverse, Some(&ann), &json!({"reason": "typo"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "residents cannot reverse");
    let (status, body) = problem(
        app.post_json(&reverse, Some(&worker), &json!({"reason": ""}))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );

    let response = app
        .post_json(
            &reverse,
            Some(&worker),
            &json!({"reason": "Entered 5 h instead of 30 min"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let (status, _) = problem(
        app.post_json(&reverse, Some(&worker), &json!({"reason": "again"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let anns = ledger(&app, &ann, ann_id).await;
    assert_eq!(balance(&anns), 0);
    assert_eq!(
        anns["history"].as_array().unwrap().len(),
        2,
        "history keeps the mistake and its correction"
    );
    assert_eq!(
        anns["reciprocity"]["minutes_given"], 0,
        "a reversed exchange does not count as given"
    );
}

#[tokio::test]
async fn bad_exchange_input_names_the_field() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);
    let cases = [
        (
            json!({"giver": ann_id, "receiver": bob_id, "minutes": 0, "description": "x"}),
            "minutes",
        ),
        (
            json!({"giver": ann_id, "receiver": bob_id, "minutes": 30, "description": "x", "date": "2999-01-01"}),
            "date",
        ),
        (
            json!({"giver": ann_id, "receiver": ann_id, "minutes": 30, "description": "x"}),
            "receiver",
        ),
        (
            json!({"giver": ann_id, "receiver": 999_999, "minutes": 30, "description": "x"}),
            "receiver",
        ),
        (
            json!({"giver": ann_id, "receiver": bob_id, "minutes": "an hour", "description": "x"}),
            "body",
        ),
    ];
    for (body, field) in cases {
        let (status, problem_body) =
            problem(app.post_json("/api/v1/exchanges", Some(&ann), &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem_body["field"], field, "{body}");
    }
    let mine: Vec<Value> = app.get_json("/api/v1/exchanges", &ann).await;
    assert!(mine.is_empty());
}
