//! How introductions end other than in an exchange — declined, withdrawn, expired — and
//! "only through my worker", plus bad requests: nothing is shared, nothing half-stored.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::harness::{browser, problem, spawn_app};
use crate::introductions::{
    ANN_EMAIL, ANN_PHONE, BOB_EMAIL, BOB_PHONE, act, leaks, neighbours, propose, show,
};

#[tokio::test]
async fn a_decline_closes_the_introduction_and_shares_nothing() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let id = propose(&app, &n).await["id"].as_i64().unwrap();
    act(&app, &n.ann, id, "accept", json!({})).await;
    let (status, body) = act(&app, &n.bob, id, "decline", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "declined");
    assert!(body["contact"].is_null());
    let (_, ann_view) = show(&app, &n.ann, id).await;
    assert!(!leaks(&ann_view, BOB_EMAIL, BOB_PHONE));
    let (status, _) = act(&app, &n.bob, id, "accept", json!({})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a declined introduction stays closed"
    );
}

#[tokio::test]
async fn a_withdrawn_introduction_cannot_be_accepted_and_only_workers_withdraw() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let id = propose(&app, &n).await["id"].as_i64().unwrap();
    let (status, _) = act(&app, &n.ann, id, "withdraw", json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = act(&app, &n.worker, id, "withdraw", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "withdrawn");
    let (status, problem_body) = act(&app, &n.ann, id, "accept", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        problem_body["detail"]
            .as_str()
            .unwrap()
            .contains("withdrawn")
    );
}

#[tokio::test]
async fn an_introduction_left_unanswered_expires() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let id = propose(&app, &n).await["id"].as_i64().unwrap();
    act(&app, &n.ann, id, "accept", json!({})).await;
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    entity::introduction::Entity::update_many()
        .col_expr(entity::introduction::Column::ExpiresAt, Expr::value(past))
        .filter(entity::introduction::Column::Id.eq(id as i32))
        .exec(&app.db)
        .await
        .unwrap();
    let (_, body) = show(&app, &n.bob, id).await;
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["status"], "expired");
    let (status, _) = act(&app, &n.bob, id, "accept", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, ann_view) = show(&app, &n.ann, id).await;
    assert!(!leaks(&ann_view, BOB_EMAIL, BOB_PHONE));
}

#[tokio::test]
async fn only_through_my_worker_means_no_details_are_ever_shared() {
    let app = spawn_app().await;
    let n = neighbours(&app, "worker_only", "email_and_phone").await;
    let id = propose(&app, &n).await["id"].as_i64().unwrap();
    act(&app, &n.ann, id, "accept", json!({})).await;
    let (_, body) = act(&app, &n.bob, id, "accept", json!({})).await;
    assert_eq!(body["status"], "accepted");
    let (_, bob_view) = show(&app, &n.bob, id).await;
    let bob_json: Value = serde_json::from_str(&bob_view).unwrap();
    assert_eq!(bob_json["contact"]["through_worker"], true);
    assert!(!leaks(&bob_view, ANN_EMAIL, ANN_PHONE));
    let client = browser();
    app.web_login(&client, BOB_EMAIL).await;
    let (_, html) = app.page(&client, &format!("/introductions/{id}")).await;
    assert!(html.contains("prefers to meet through their community worker"));
    assert!(!leaks(&html, ANN_EMAIL, ANN_PHONE));
}

#[tokio::test]
async fn bad_introduction_requests_get_clear_errors_and_change_nothing() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let ann_want = app
        .post_listing(&n.ann, "wants", "Help with my garden")
        .await;
    let long_note = "x".repeat(1001);
    let cases = [
        (json!({"offer": n.want, "want": n.want}), "offer"),
        (json!({"offer": n.offer, "want": ann_want}), "want"),
        (
            json!({"offer": n.offer, "want": n.want, "note": long_note}),
            "note",
        ),
    ];
    for (body, field) in cases {
        let response = app
            .post_json("/api/v1/introductions", Some(&n.worker), &body)
            .await;
        let (status, problem_body) = problem(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(problem_body["field"], field, "{problem_body}");
    }
    let response = app
        .post_json(
            "/api/v1/introductions",
            Some(&n.worker),
            &json!({"offer": n.offer, "wants": n.want}),
        )
        .await;
    assert!(response.status().is_client_error());
    let id = propose(&app, &n).await["id"].as_i64().unwrap();
    let (status, _) = act(
        &app,
        &n.worker,
        id,
        "accept",
        json!({"on_behalf_of": "Ann"}),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    let (status, _) = act(&app, &n.ann, 999_999, "accept", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let list: Value = app.get_json("/api/v1/introductions", &n.worker).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the good proposal was stored"
    );
    assert_eq!(list[0]["status"], "proposed");
}
