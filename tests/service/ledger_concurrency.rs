//! Many clients at once: no minute lost or created, no limit broken, one posting per success,
//! and a repeated idempotent request has exactly one effect.

use std::sync::Arc;

use futures::future::join_all;
use kith::services::communities;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

use crate::harness::{TestApp, spawn_app};
use crate::timebank::{me_id, record};

/// Sums and counts straight from the tables, independent of the service's own arithmetic.
pub async fn audit(app: &TestApp) -> (i64, Vec<(i64, i64)>, i64) {
    audit_db(&app.db).await
}

/// [`audit`] on any connection: (sum of balances, (cached, summed) per account, postings).
pub async fn audit_db(db: &DatabaseConnection) -> (i64, Vec<(i64, i64)>, i64) {
    audit_where(db, None).await
}

/// The same figures for one community's accounts and postings only.
pub async fn audit_community(
    db: &DatabaseConnection,
    community_id: i32,
) -> (i64, Vec<(i64, i64)>, i64) {
    audit_where(db, Some(community_id)).await
}

async fn audit_where(
    db: &DatabaseConnection,
    community: Option<i32>,
) -> (i64, Vec<(i64, i64)>, i64) {
    let filter = community.map_or("1 = 1".to_string(), |c| format!("community_id = {c}"));
    let joined = community.map_or("1 = 1".to_string(), |c| format!("a.community_id = {c}"));
    let backend = db.get_database_backend();
    let one = |sql: String| Statement::from_string(backend, sql);
    let total = db
        .query_one_raw(one(format!(
            "SELECT CAST(COALESCE(SUM(balance_minutes), 0) AS BIGINT) AS total FROM account WHERE {filter}"
        )))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "total")
        .unwrap();
    let rows = db
        .query_all_raw(one(format!(
            "SELECT a.balance_minutes AS cached, CAST(COALESCE(SUM(e.minutes), 0) AS BIGINT) AS summed \
             FROM account a LEFT JOIN entry e ON e.account_id = a.id WHERE {joined} \
             GROUP BY a.id, a.balance_minutes"
        )))
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.try_get::<i64>("", "cached").unwrap(), r.try_get::<i64>("", "summed").unwrap()))
        .collect();
    let postings = db
        .query_one_raw(one(format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM posting WHERE {filter}"
        )))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    (total, rows, postings)
}

#[tokio::test]
async fn concurrent_clients_never_lose_or_create_minutes_or_break_limits() {
    const CLIENTS: usize = 32;
    const EXCHANGES_EACH: usize = 40;
    let app = Arc::new(spawn_app().await);
    let govan = app.community("hot").await;
    communities::set_limits(&app.db, govan, -180, 180)
        .await
        .unwrap();
    let mut people = Vec::new();
    for i in 0..4 {
        let token = app
            .signup("hot", &format!("p{i}@example.org"), &format!("P{i}"))
            .await;
        let id = me_id(&app, &token).await;
        people.push((id, token));
    }
    let people = Arc::new(people);

    let tasks = (0..CLIENTS).map(|client| {
        let (app, people) = (app.clone(), people.clone());
        tokio::spawn(async move {
            let mut confirmed = 0usize;
            for n in 0..EXCHANGES_EACH {
                let giver = (client + n) % people.len();
                let receiver = (giver + 1 + n % 3) % people.len();
                let minutes = 15 + ((client * 7 + n * 13) % 90) as i64;
                let response = record(
                    &app,
                    &people[giver].1,
                    people[giver].0,
                    people[receiver].0,
                    minutes,
                )
                .await;
                assert_eq!(response.status(), StatusCode::CREATED);
                let exchange: Value = response.json().await.unwrap();
                let confirm = app
                    .post_json(
                        &format!("/api/v1/exchanges/{}/confirm", exchange["id"]),
                        Some(&people[receiver].1),
                        &json!({}),
                    )
                    .await;
                match confirm.status() {
                    StatusCode::OK => confirmed += 1,
                    StatusCode::UNPROCESSABLE_ENTITY => {} // refused: would break a limit
                    other => panic!(
                        "unexpected status {other}: {}",
                        confirm.text().await.unwrap()
                    ),
                }
            }
            confirmed
        })
    });
    let confirmed: usize = join_all(tasks).await.into_iter().map(|r| r.unwrap()).sum();

    let (total, balances, postings) = audit(&app).await;
    println!(
        "{} exchanges, {confirmed} confirmed, {postings} postings",
        CLIENTS * EXCHANGES_EACH
    );
    assert_eq!(total, 0, "minutes were lost or created");
    for (cached, summed) in &balances {
        assert_eq!(cached, summed, "a cached balance differs from its entries");
    }
    assert!(
        balances.iter().all(|(b, _)| (-180..=180).contains(b)),
        "a limit was broken: {balances:?}"
    );
    assert_eq!(
        postings as usize, confirmed,
        "one posting per successful confirmation"
    );
    assert!(
        confirmed > 0 && confirmed < CLIENTS * EXCHANGES_EACH,
        "the limits were exercised"
    );
}

#[tokio::test]
async fn the_same_keyed_request_sent_in_parallel_has_one_effect() {
    let app = Arc::new(spawn_app().await);
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let (ann_id, bob_id) = (me_id(&app, &ann).await, me_id(&app, &bob).await);
    let body = json!({"giver": ann_id, "receiver": bob_id, "minutes": 45, "description": "Fixed a puncture"});

    let sends = (0..12).map(|_| {
        let (app, ann, body) = (app.clone(), ann.clone(), body.clone());
        async move {
            let response = reqwest::Client::new()
                .post(app.url("/api/v1/exchanges"))
                .bearer_auth(&ann)
                .header("Idempotency-Key", "record-puncture-1")
                .json(&body)
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        }
    });
    let responses = join_all(sends).await;
    assert!(
        responses.iter().all(|(s, _)| *s == StatusCode::CREATED),
        "{responses:?}"
    );
    assert!(
        responses.iter().all(|(_, b)| *b == responses[0].1),
        "every retry gets the first answer"
    );
    let listed: Vec<Value> = app.get_json("/api/v1/exchanges", &ann).await;
    assert_eq!(listed.len(), 1, "exactly one exchange");

    let id = listed[0]["id"].as_i64().unwrap();
    let confirms = (0..12).map(|i| {
        let (app, bob) = (app.clone(), bob.clone());
        async move {
            reqwest::Client::new()
                .post(app.url(&format!("/api/v1/exchanges/{id}/confirm")))
                .bearer_auth(&bob)
                .header("Idempotency-Key", format!("confirm-{}", i % 3))
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    assert!(
        join_all(confirms)
            .await
            .iter()
            .all(|s| *s == StatusCode::OK)
    );
    let (total, _, postings) = audit(&app).await;
    assert_eq!((total, postings), (0, 1), "exactly one posting");

    let reused = reqwest::Client::new()
        .post(app.url("/api/v1/exchanges"))
        .bearer_auth(&ann)
        .header("Idempotency-Key", "record-puncture-1")
        .json(&json!({"giver": ann_id, "receiver": bob_id, "minutes": 60, "description": "Something else"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), StatusCode::CONFLICT);
}
