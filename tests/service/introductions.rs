//! Brokered introductions: the whole journey, requests, second approval and answering for
//! someone; the shared setup (`neighbours`) used by the other introduction tests.

use kith::domain::member::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, browser, problem, spawn_app};

pub const ANN_EMAIL: &str = "ann.private@example.org";
pub const ANN_PHONE: &str = "07700 900111";
pub const BOB_EMAIL: &str = "bob.private@example.org";
pub const BOB_PHONE: &str = "07700 900222";
pub const WORKER_EMAIL: &str = "worker@example.org";

/// A community with a worker, Ann (offers guitar) and Bob (wants guitar), who have a strong match.
pub struct Neighbours {
    pub worker: String,
    pub ann: String,
    pub ann_id: i64,
    pub bob: String,
    pub bob_id: i64,
    pub offer: i64,
    pub want: i64,
}

/// Sets up [`Neighbours`] in `govan`; `ann_shares` and `bob_shares` are contact preferences.
pub async fn neighbours(app: &TestApp, ann_shares: &str, bob_shares: &str) -> Neighbours {
    let govan = app.community("govan").await;
    app.member(govan, WORKER_EMAIL, "Wendy Worker", Role::Worker)
        .await;
    let worker = app.token(WORKER_EMAIL).await;
    let ann = app.signup("govan", ANN_EMAIL, "Ann").await;
    let bob = app.signup("govan", BOB_EMAIL, "Bob").await;
    for (token, phone, shares) in [(&ann, ANN_PHONE, ann_shares), (&bob, BOB_PHONE, bob_shares)] {
        let response = app
            .patch_json(
                "/api/v1/me",
                token,
                &json!({"phone": phone, "contact_preference": shares}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let offer = app
        .post_listing(&ann, "offers", "Guitar lessons for beginners")
        .await;
    let want = app.post_listing(&bob, "wants", "gitar lesons").await;
    Neighbours {
        ann_id: app.my_id(&ann).await,
        bob_id: app.my_id(&bob).await,
        worker,
        ann,
        bob,
        offer,
        want,
    }
}

/// The worker signs up Dora, who has no email or password (consent given in person); her id.
pub async fn dora(app: &TestApp, worker: &str) -> i64 {
    let response = app
        .post_json(
            "/api/v1/residents",
            Some(worker),
            &json!({"community": "govan", "display_name": "Dora", "consent_method": "in_person",
                    "consent_given": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    body["id"].as_i64().expect("member id")
}

/// The worker proposes Ann ↔ Bob and gets the new introduction back.
pub async fn propose(app: &TestApp, n: &Neighbours) -> Value {
    let response = app
        .post_json(
            "/api/v1/introductions",
            Some(&n.worker),
            &json!({"offer": n.offer, "want": n.want, "note": "You both love music"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// POSTs `/api/v1/introductions/{id}/{action}` as `token`, returning status and body.
pub async fn act(
    app: &TestApp,
    token: &str,
    id: i64,
    action: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = app
        .post_json(
            &format!("/api/v1/introductions/{id}/{action}"),
            Some(token),
            &body,
        )
        .await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn show(app: &TestApp, token: &str, id: i64) -> (StatusCode, String) {
    let response = app
        .get_api(&format!("/api/v1/introductions/{id}"), token)
        .await;
    (response.status(), response.text().await.unwrap())
}

pub fn leaks(body: &str, email: &str, phone: &str) -> bool {
    body.contains(email) || body.contains(phone)
}

#[tokio::test]
async fn contacts_are_shared_with_exactly_the_two_members_once_both_accept() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email_and_phone", "phone").await;
    let cat = app.signup("govan", "cat@example.org", "Cat").await;

    let board: Value = app.get_json("/api/v1/worker/dashboard", &n.worker).await;
    let suggestion = board["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["offer_id"] == n.offer && s["want_id"] == n.want)
        .expect("the worker sees the match");
    assert_eq!(suggestion["strong"], true);

    let intro = propose(&app, &n).await;
    let id = intro["id"].as_i64().unwrap();
    assert_eq!(intro["status"], "proposed");

    let (status, body) = act(&app, &n.ann, id, "accept", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "accepted_by_one");
    let ann_browser = browser();
    app.web_login(&ann_browser, ANN_EMAIL).await;
    let bob_browser = browser();
    app.web_login(&bob_browser, BOB_EMAIL).await;
    for (token, client, other_email, other_phone) in [
        (&n.ann, &ann_browser, BOB_EMAIL, BOB_PHONE),
        (&n.bob, &bob_browser, ANN_EMAIL, ANN_PHONE),
    ] {
        let (status, json_body) = show(&app, token, id).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !leaks(&json_body, other_email, other_phone),
            "JSON before both accept"
        );
        let (status, html) = app.page(client, &format!("/introductions/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !leaks(&html, other_email, other_phone),
            "HTML before both accept"
        );
    }

    let (status, body) = act(&app, &n.bob, id, "accept", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "accepted");
    let matches: Value = app.get_json("/api/v1/matches", &n.bob).await;
    assert_eq!(matches["could_help_me"][0]["introduction"], id);

    // Ann sees what Bob shares (phone only); Bob sees Ann's email and phone.
    let (_, ann_view) = show(&app, &n.ann, id).await;
    assert!(ann_view.contains(BOB_PHONE) && !ann_view.contains(BOB_EMAIL));
    let (_, html) = app
        .page(&ann_browser, &format!("/introductions/{id}"))
        .await;
    assert!(html.contains(BOB_PHONE) && !html.contains(BOB_EMAIL));
    let (_, bob_view) = show(&app, &n.bob, id).await;
    assert!(bob_view.contains(ANN_EMAIL) && bob_view.contains(ANN_PHONE));
    let (_, html) = app
        .page(&bob_browser, &format!("/introductions/{id}"))
        .await;
    assert!(html.contains(ANN_EMAIL) && html.contains(ANN_PHONE));

    // Nobody else: another resident cannot even find it, nor see details on the members' pages.
    let (status, _) = show(&app, &cat, id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let page = app
        .get_api(&format!("/api/v1/members/{}", n.ann_id), &cat)
        .await
        .text()
        .await
        .unwrap();
    assert!(!leaks(&page, ANN_EMAIL, ANN_PHONE));

    let (status, body) = act(&app, &n.ann, id, "met", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "met");
    let (status, _) = act(&app, &cat, id, "met", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = app
        .post_json(
            "/api/v1/exchanges",
            Some(&n.bob),
            &json!({"giver": n.ann_id, "receiver": n.bob_id, "minutes": 60,
                    "description": "First guitar lesson", "introduction": id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let exchange: Value = response.json().await.unwrap();
    let (_, after) = show(&app, &n.bob, id).await;
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["status"], "exchange_recorded");
    assert_eq!(after["exchange_id"], exchange["id"]);

    let board: Value = app.get_json("/api/v1/worker/dashboard", &n.worker).await;
    assert!(
        !board["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["offer_id"] == n.offer && s["want_id"] == n.want),
        "a match acted on is no longer suggested"
    );
}

#[tokio::test]
async fn a_member_asks_for_an_introduction_and_a_worker_proposes_it() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let response = app
        .post_json(
            "/api/v1/introductions",
            Some(&n.bob),
            &json!({"offer": n.offer, "want": n.want}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let asked: Value = response.json().await.unwrap();
    assert_eq!(asked["status"], "requested");
    let id = asked["id"].as_i64().unwrap();
    let (status, _) = show(&app, &n.ann, id).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "Ann hears of it only when a worker proposes it"
    );

    let board: Value = app.get_json("/api/v1/worker/dashboard", &n.worker).await;
    assert_eq!(board["pending_introductions"][0]["id"], id);
    let proposed = propose(&app, &n).await;
    assert_eq!(proposed["id"], id, "the request became the proposal");
    assert_eq!(proposed["status"], "proposed");
    let (status, _) = show(&app, &n.ann, id).await;
    assert_eq!(status, StatusCode::OK);

    let again = app
        .post_json(
            "/api/v1/introductions",
            Some(&n.worker),
            &json!({"offer": n.offer, "want": n.want}),
        )
        .await;
    let (status, body) = problem(again).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["detail"].as_str().unwrap().contains("already"));
}

#[tokio::test]
async fn a_flagged_member_needs_a_second_workers_approval_before_anyone_is_told() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let response = app
        .put_json(
            &format!("/api/v1/members/{}/safeguarding", n.ann_id),
            &n.worker,
            &json!({"needs_second_approval": true}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let id = {
        let intro = propose(&app, &n).await;
        assert_eq!(intro["status"], "awaiting_approval");
        intro["id"].as_i64().unwrap()
    };
    let (status, _) = show(&app, &n.ann, id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = act(&app, &n.worker, id, "approve", json!({})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the proposer cannot approve their own"
    );

    let govan = app.community_id("govan").await;
    app.member(govan, "second@example.org", "Sam", Role::Worker)
        .await;
    let second = app.token("second@example.org").await;
    let (status, body) = act(&app, &second, id, "approve", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "proposed");
    assert_eq!(body["approved_by"]["display_name"], "Sam");
    let (status, _) = show(&app, &n.ann, id).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_worker_answers_for_a_resident_who_cannot_log_in_and_it_is_marked() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let dora_id = dora(&app, &n.worker).await;
    let response = app
        .post_json(
            "/api/v1/wants",
            Some(&n.worker),
            &json!({"text": "guitar lessons please", "member": dora_id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let want: Value = response.json().await.unwrap();
    assert_eq!(want["added_by_worker"], true);
    assert_eq!(want["member"]["id"], dora_id);

    let response = app
        .post_json(
            "/api/v1/introductions",
            Some(&n.worker),
            &json!({"offer": n.offer, "want": want["id"]}),
        )
        .await;
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _) = act(&app, &n.ann, id, "accept", json!({"on_behalf_of": dora_id})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a resident cannot answer for someone else"
    );
    let (status, body) = act(
        &app,
        &n.worker,
        id,
        "accept",
        json!({"on_behalf_of": dora_id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["receiver_answered_by_worker"], true);
    assert_eq!(body["giver_answered_by_worker"], false);
    let (status, _) = act(
        &app,
        &n.worker,
        id,
        "accept",
        json!({"on_behalf_of": n.ann_id}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "Ann can log in and answers for herself"
    );
    let (_, body) = act(&app, &n.ann, id, "accept", json!({})).await;
    assert_eq!(body["status"], "accepted");
}
