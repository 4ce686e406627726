//! Creating, editing, pausing, deleting and searching offers and wants.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{browser, problem, spawn_app};

#[tokio::test]
async fn offers_and_wants_are_created_with_their_id_and_listed_in_my_community() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;

    for (kind, text) in [
        ("offers", "Guitar lessons for beginners"),
        ("wants", "Help with my garden"),
    ] {
        let response = app
            .post_json(
                &format!("/api/v1/{kind}"),
                Some(&ann),
                &json!({"text": text, "category": "music"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.unwrap();
        assert!(created["id"].as_i64().unwrap() > 0);
        assert_eq!(created["text"], text);
        assert_eq!(created["mode"], "either");

        let listed: Vec<Value> = app.get_json(&format!("/api/v1/{kind}"), &bob).await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["id"], created["id"]);
        assert_eq!(listed[0]["member"]["display_name"], "Ann");
    }
}

#[tokio::test]
async fn search_matches_every_word_case_insensitively_and_stays_in_my_community() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.community("leith").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let cat = app.signup("leith", "cat@example.org", "Cat").await;
    app.post_listing(&ann, "offers", "Guitar lessons for beginners")
        .await;
    app.post_listing(&ann, "offers", "Fixing bikes").await;
    app.post_listing(&cat, "offers", "Guitar repairs").await;

    let found: Vec<Value> = app
        .get_json("/api/v1/offers?q=GUITAR%20beginners", &bob)
        .await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["text"], "Guitar lessons for beginners");

    let guitar: Vec<Value> = app.get_json("/api/v1/offers?q=guitar", &bob).await;
    assert_eq!(guitar.len(), 1, "Leith's offer must not show in Govan");

    let wildcard: Vec<Value> = app.get_json("/api/v1/offers?q=%25", &bob).await;
    assert!(wildcard.is_empty(), "% is searched literally");
}

#[tokio::test]
async fn owner_edits_pauses_resumes_and_deletes_an_offer() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let id = app.post_listing(&ann, "offers", "Guitar lessons").await;
    let path = format!("/api/v1/offers/{id}");

    let edited: Value = app
        .patch_json(
            &path,
            &ann,
            &json!({"text": "Ukulele lessons", "availability": "Saturdays"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(edited["text"], "Ukulele lessons");
    assert_eq!(edited["availability"], "Saturdays");

    let paused: Value = app
        .patch_json(&path, &ann, &json!({"paused": true}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paused["paused"], true);
    let seen_by_bob: Vec<Value> = app.get_json("/api/v1/offers", &bob).await;
    assert!(
        seen_by_bob.is_empty(),
        "paused offers are hidden from others"
    );
    assert_eq!(
        app.get_api(&path, &bob).await.status(),
        StatusCode::NOT_FOUND
    );

    app.patch_json(&path, &ann, &json!({"paused": false, "availability": null}))
        .await;
    let seen_by_bob: Vec<Value> = app.get_json("/api/v1/offers", &bob).await;
    assert_eq!(seen_by_bob.len(), 1);
    assert_eq!(seen_by_bob[0]["availability"], Value::Null);

    assert_eq!(
        app.delete_api(&path, &ann).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get_api(&path, &ann).await.status(),
        StatusCode::NOT_FOUND
    );
    let mine: Value = app.get_json("/api/v1/me", &ann).await;
    assert_eq!(mine["offers"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn resident_cannot_edit_or_delete_anothers_offer() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let bob = app.signup("govan", "bob@example.org", "Bob").await;
    let id = app.post_listing(&ann, "offers", "Guitar lessons").await;
    let path = format!("/api/v1/offers/{id}");

    let (status, body) = problem(
        app.patch_json(&path, &bob, &json!({"text": "Hijacked"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("only the member who posted")
    );
    let (status, _) = problem(app.delete_api(&path, &bob).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let unchanged: Value = app.get_json(&path, &ann).await;
    assert_eq!(unchanged["text"], "Guitar lessons");
}

#[tokio::test]
async fn another_communitys_listing_is_not_found_rather_than_forbidden() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.community("leith").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    let cat = app.signup("leith", "cat@example.org", "Cat").await;
    let id = app.post_listing(&ann, "wants", "Help with forms").await;

    let (status, _) = problem(
        app.patch_json(&format!("/api/v1/wants/{id}"), &cat, &json!({"text": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn offers_are_added_paused_and_deleted_through_the_profile_page() {
    let app = spawn_app().await;
    app.community("govan").await;
    app.signup("govan", "ann@example.org", "Ann").await;
    let client = browser();
    app.web_login(&client, "ann@example.org").await;

    let csrf = app.csrf_token(&client, "/me").await;
    let response = client
        .post(app.url("/offers"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("text", "Baking scones"),
            ("mode", "in_person"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&client, "/me").await;
    assert!(html.contains("Baking scones"));
    assert!(html.contains("Your offer is up."));

    let token = app.token("ann@example.org").await;
    let me: Value = app.get_json("/api/v1/me", &token).await;
    let id = me["offers"][0]["id"].as_i64().unwrap();
    assert_eq!(me["offers"][0]["mode"], "in_person");

    let pause = client
        .post(app.url(&format!("/offers/{id}/pause")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(pause.status(), StatusCode::SEE_OTHER);
    let me: Value = app.get_json("/api/v1/me", &token).await;
    assert_eq!(me["offers"][0]["paused"], true);

    let edit = client
        .post(app.url(&format!("/offers/{id}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("text", "Baking bread"),
            ("mode", "either"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&client, &format!("/offers/{id}/edit")).await;
    assert!(html.contains("Baking bread"));

    let delete = client
        .post(app.url(&format!("/offers/{id}/delete")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&client, "/me").await;
    assert!(!html.contains("Baking bread"));
}

#[tokio::test]
async fn browse_page_searches_my_community() {
    let app = spawn_app().await;
    app.community("govan").await;
    let ann = app.signup("govan", "ann@example.org", "Ann").await;
    app.signup("govan", "bob@example.org", "Bob").await;
    app.post_listing(&ann, "wants", "Someone to fix my bike")
        .await;
    app.post_listing(&ann, "wants", "Help with a CV").await;
    let client = browser();
    app.web_login(&client, "bob@example.org").await;

    let (status, html) = app.page(&client, "/browse?kind=wants&q=bike").await;

    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Someone to fix my bike"));
    assert!(!html.contains("Help with a CV"));
}
