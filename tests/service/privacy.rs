//! Contact details never reach another resident, in HTML or JSON.

use kith::domain::member::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{browser, spawn_app};

const EMAIL: &str = "private.person@example.org";
const PHONE: &str = "07700 900123";

#[tokio::test]
async fn a_residents_email_and_phone_appear_nowhere_another_resident_can_look() {
    let app = spawn_app().await;
    app.community("govan").await;
    let owner = app.signup("govan", EMAIL, "Pat").await;
    let response = app
        .patch_json("/api/v1/me", &owner, &json!({"phone": PHONE}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let offer = app
        .post_listing(&owner, "offers", "Knitting for beginners")
        .await;
    app.post_listing(&owner, "wants", "Help with my garden")
        .await;
    let me: serde_json::Value = app.get_json("/api/v1/me", &owner).await;
    let pat_id = me["id"].as_i64().unwrap();
    assert_eq!(me["phone"], PHONE, "the owner sees their own phone");

    let other = app.signup("govan", "nosy@example.org", "Nosy").await;
    let json_paths = [
        format!("/api/v1/members/{pat_id}"),
        "/api/v1/offers".to_string(),
        "/api/v1/wants".to_string(),
        "/api/v1/offers?q=knitting".to_string(),
        format!("/api/v1/offers/{offer}"),
    ];
    for path in &json_paths {
        let response = app.get_api(path, &other).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains("Pat"), "{path} shows the member");
        assert!(
            !body.contains(EMAIL) && !body.contains("private.person"),
            "{path} leaks the email"
        );
        assert!(
            !body.contains(PHONE) && !body.contains("900123"),
            "{path} leaks the phone"
        );
    }

    let client = browser();
    app.web_login(&client, "nosy@example.org").await;
    for path in [
        format!("/members/{pat_id}"),
        "/browse?kind=offers".into(),
        "/browse?kind=wants".into(),
        "/".into(),
    ] {
        let (status, html) = app.page(&client, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!html.contains("private.person"), "{path} leaks the email");
        assert!(!html.contains("900123"), "{path} leaks the phone");
    }
}

#[tokio::test]
async fn members_of_other_communities_are_not_found() {
    let app = spawn_app().await;
    app.community("govan").await;
    let leith = app.community("leith").await;
    app.signup("govan", "ann@example.org", "Ann").await;
    let stranger = app
        .member(leith, "stranger@example.org", "Stranger", Role::Worker)
        .await;
    let ann = app.token("ann@example.org").await;

    let response = app
        .get_api(&format!("/api/v1/members/{stranger}"), &ann)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let client = browser();
    app.web_login(&client, "ann@example.org").await;
    let (status, html) = app.page(&client, &format!("/members/{stranger}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("stranger@example.org"));
}
