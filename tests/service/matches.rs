//! Live matches: they appear, update and disappear as offers and wants change.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{browser, spawn_app};

async fn matches(app: &crate::harness::TestApp, token: &str) -> Value {
    let response = app.get_api("/api/v1/matches", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["member"]["display_name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn matches_appear_update_and_disappear_as_listings_change() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    app.post_listing(&ann, "wants", "gitar lesons for my son")
        .await;
    let offer = app
        .post_listing(&bob, "offers", "Guitar lessons for beginners")
        .await;
    let path = format!("/api/v1/offers/{offer}");

    let seen = matches(&app, &ann).await;
    assert_eq!(names(&seen["could_help_me"]), ["Bob"]);
    assert_eq!(seen["could_help_me"][0]["strong"], true);
    assert!(
        seen["could_help_me"][0]["why"]
            .as_str()
            .unwrap()
            .contains("guitar")
    );
    assert_eq!(names(&matches(&app, &bob).await["i_could_help"]), ["Ann"]);
    let found_at = seen["could_help_me"][0]["found_at"].clone();

    // An edit that keeps the match keeps when it was found.
    app.patch_json(&path, &bob, &json!({"availability": "Saturday mornings"}))
        .await;
    assert_eq!(
        matches(&app, &ann).await["could_help_me"][0]["found_at"],
        found_at
    );

    app.patch_json(&path, &bob, &json!({"text": "Dog walking"}))
        .await;
    assert!(
        names(&matches(&app, &ann).await["could_help_me"]).is_empty(),
        "edited away"
    );

    app.patch_json(&path, &bob, &json!({"text": "Guitar lessons"}))
        .await;
    assert_eq!(
        names(&matches(&app, &ann).await["could_help_me"]),
        ["Bob"],
        "edited back"
    );

    app.patch_json(&path, &bob, &json!({"paused": true})).await;
    assert!(
        names(&matches(&app, &ann).await["could_help_me"]).is_empty(),
        "paused"
    );

    app.patch_json(&path, &bob, &json!({"paused": false})).await;
    assert_eq!(
        names(&matches(&app, &ann).await["could_help_me"]),
        ["Bob"],
        "resumed"
    );

    app.delete_api(&path, &bob).await;
    assert!(
        names(&matches(&app, &ann).await["could_help_me"]).is_empty(),
        "deleted"
    );
    assert!(names(&matches(&app, &bob).await["i_could_help"]).is_empty());
}

/// (member name, strong) of each match in a list.
fn strong_flags(list: &Value) -> Vec<(String, bool)> {
    names(list)
        .into_iter()
        .zip(list.as_array().unwrap())
        .map(|(n, m)| (n, m["strong"].as_bool().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_much_better_offer_takes_the_strong_mark_and_gives_it_back_when_deleted() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let cat = app.signup("govan", "cat@example.org", "Cat").await;
    app.post_listing(&ann, "wants", "beginner guitar lessons")
        .await;
    app.post_listing(&bob, "offers", "Music lessons - guitar and piano")
        .await;
    let alone = matches(&app, &ann).await;
    assert_eq!(
        strong_flags(&alone["could_help_me"]),
        [("Bob".into(), true)]
    );

    let cats = app
        .post_listing(&cat, "offers", "Guitar lessons for beginners")
        .await;
    let both = matches(&app, &ann).await;
    let mut flags = strong_flags(&both["could_help_me"]);
    flags.sort();
    assert_eq!(flags, [("Bob".into(), false), ("Cat".into(), true)]);
    assert_eq!(
        strong_flags(&matches(&app, &bob).await["i_could_help"]),
        [("Ann".into(), false)],
        "Bob's side agrees"
    );

    app.delete_api(&format!("/api/v1/offers/{cats}"), &cat)
        .await;
    assert_eq!(
        strong_flags(&matches(&app, &ann).await["could_help_me"]),
        [("Bob".into(), true)]
    );
}

#[tokio::test]
async fn swaps_are_marked_and_nobody_matches_themselves() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    app.post_listing(&ann, "offers", "Fixing bike punctures")
        .await;
    app.post_listing(&ann, "wants", "Bicycle puncture repair")
        .await;
    app.post_listing(&ann, "wants", "Learn guitar").await;
    app.post_listing(&bob, "offers", "Guitar lessons").await;
    app.post_listing(&bob, "wants", "My bike has a puncture")
        .await;

    let anns = matches(&app, &ann).await;
    assert_eq!(
        names(&anns["could_help_me"]),
        ["Bob"],
        "Ann's own bike offer is not offered to her"
    );
    assert_eq!(anns["could_help_me"][0]["swap"], true);
    assert_eq!(names(&anns["i_could_help"]), ["Bob"]);
    assert_eq!(anns["i_could_help"][0]["swap"], true);
}

#[tokio::test]
async fn listings_in_other_communities_never_match() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.community("leith").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let cat = app.signup("leith", "cat@example.org", "Cat").await;
    app.post_listing(&ann, "wants", "Guitar lessons").await;
    app.post_listing(&cat, "offers", "Guitar lessons").await;

    assert!(names(&matches(&app, &ann).await["could_help_me"]).is_empty());
}

#[tokio::test]
async fn matches_page_shows_who_could_help_without_contact_details() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob.private@example.org", "Bob").await;
    app.post_listing(&ann, "wants", "someone to cut my grass")
        .await;
    app.post_listing(&bob, "offers", "Mowing lawns").await;
    let client = browser();
    app.web_login(&client, "ann@example.org").await;

    let (status, html) = app.page(&client, "/matches").await;

    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bob"), "{html}");
    assert!(html.contains("Mowing lawns"));
    assert!(!html.contains("bob.private"));
}
