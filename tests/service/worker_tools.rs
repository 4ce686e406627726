//! Workers' tools: dashboard, notes, assisted residents, sign-in codes, printed sheets, and the
//! introduction journey through the HTML pages.

use kith::domain::member::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{browser, spawn_app};
use crate::introductions::{ANN_EMAIL, BOB_EMAIL, BOB_PHONE, WORKER_EMAIL, neighbours};

#[tokio::test]
async fn the_dashboard_shows_new_residents_without_offers_and_unconfirmed_exchanges() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    app.signup("govan", "quiet@example.org", "Quinn").await;
    let response = app
        .post_json(
            "/api/v1/exchanges",
            Some(&n.ann),
            &json!({"giver": n.ann_id, "receiver": n.bob_id, "minutes": 45, "description": "Tuning"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let board: Value = app.get_json("/api/v1/worker/dashboard", &n.worker).await;
    let names = |key: &str| -> Vec<String> {
        board[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["display_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(names("new_residents").contains(&"Quinn".to_string()));
    let without = names("residents_without_offers");
    assert!(without.contains(&"Quinn".into()) && without.contains(&"Bob".into()));
    assert!(!without.contains(&"Ann".into()), "Ann has an offer");
    assert_eq!(board["unconfirmed_exchanges"][0]["minutes"], 45);
    let suggestion = &board["suggestions"][0];
    assert_eq!(suggestion["giver_never_gave"], true);

    let response = app.get_api("/api/v1/worker/dashboard", &n.ann).await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "residents have no dashboard"
    );
    let leith = app.community("leith").await;
    app.member(leith, "lou@example.org", "Lou", Role::Worker)
        .await;
    let lou = app.token("lou@example.org").await;
    let other: Value = app.get_json("/api/v1/worker/dashboard", &lou).await;
    assert!(other["suggestions"].as_array().unwrap().is_empty());
    assert!(other["new_residents"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn workers_notes_are_kept_from_residents_and_other_communities() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let path = format!("/api/v1/members/{}/notes", n.ann_id);
    let response = app
        .post_json(
            &path,
            Some(&n.worker),
            &json!({"body": "Lost her husband last year"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let notes: Value = app.get_json(&path, &n.worker).await;
    assert_eq!(notes[0]["body"], "Lost her husband last year");
    assert_eq!(notes[0]["author"], "Wendy Worker");

    assert_eq!(
        app.get_api(&path, &n.ann).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_api(&path, &n.bob).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = app
        .post_json(&path, Some(&n.bob), &json!({"body": "gossip"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let leith = app.community("leith").await;
    app.member(leith, "lou@example.org", "Lou", Role::Worker)
        .await;
    let lou = app.token("lou@example.org").await;
    assert_eq!(
        app.get_api(&path, &lou).await.status(),
        StatusCode::NOT_FOUND
    );

    let response = app
        .post_json(&path, Some(&n.worker), &json!({"body": "  "}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_sign_in_code_hands_over_an_assisted_account_once() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let dora_id = crate::introductions::dora(&app, &n.worker).await;
    let response = app
        .post_json(
            "/api/v1/offers",
            Some(&n.worker),
            &json!({"text": "Knitting and darning", "member": dora_id}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let code_path = format!("/api/v1/members/{dora_id}/sign-in-code");
    let response = app.post_json(&code_path, Some(&n.ann), &json!({})).await;
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "residents cannot issue codes"
    );
    let response = app.post_json(&code_path, Some(&n.worker), &json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let code = response.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();

    // Dora types it in the browser, lower-case, and lands on her profile.
    let client = browser();
    let response = app
        .submit_form(
            &client,
            "/welcome",
            "/welcome",
            &[
                ("code", &code.to_lowercase()),
                ("password", "dora's new password"),
                ("email", "dora@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, me) = app.page(&client, "/me").await;
    assert!(me.contains("Knitting and darning") && me.contains("added by your worker"));
    assert!(me.contains("Wendy Worker signed you up"));

    let again = app
        .post_json(
            "/api/v1/welcome",
            None,
            &json!({"code": code, "password": "another long password"}),
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    let login = app
        .post_json(
            "/api/v1/login",
            None,
            &json!({"email": "dora@example.org", "password": "dora's new password"}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_whole_journey_works_through_the_html_pages() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "phone").await;
    let worker = browser();
    app.web_login(&worker, WORKER_EMAIL).await;
    let (status, board) = app.page(&worker, "/worker").await;
    assert_eq!(status, StatusCode::OK);
    assert!(board.contains("Guitar lessons for beginners") && board.contains("Good match"));
    let response = app
        .submit_form(
            &worker,
            "/worker",
            "/introductions",
            &[
                ("offer", &n.offer.to_string()),
                ("want", &n.want.to_string()),
                ("note", "Ann plays in a <band>"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();

    let ann = browser();
    app.web_login(&ann, ANN_EMAIL).await;
    let (_, list) = app.page(&ann, "/introductions").await;
    assert!(list.contains("Waiting for your answer") && list.contains(&location));
    let (_, page) = app.page(&ann, &location).await;
    assert!(
        page.contains("Ann plays in a &#60;band&#62;") && !page.contains("<band>"),
        "notes are escaped"
    );
    let response = app
        .submit_form(&ann, &location, &format!("{location}/accept"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&ann, &location).await;
    assert!(!page.contains(BOB_PHONE));

    let bob = browser();
    app.web_login(&bob, BOB_EMAIL).await;
    app.submit_form(&bob, &location, &format!("{location}/accept"), &[])
        .await;
    let (_, page) = app.page(&ann, &location).await;
    assert!(page.contains(BOB_PHONE), "Ann now sees Bob's phone");
    let response = app
        .submit_form(
            &ann,
            &location,
            &format!("{location}/exchange"),
            &[
                ("hours", "1"),
                ("minutes", "30"),
                ("date", &chrono::Utc::now().date_naive().to_string()),
                ("description", "First lesson"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.page(&bob, &location).await;
    assert!(page.contains("exchange recorded"), "{page}");
    let (_, time) = app.page(&bob, "/exchanges").await;
    assert!(time.contains("First lesson"), "Bob is asked to confirm it");
}

#[tokio::test]
async fn a_printed_sheet_shows_a_residents_matches_and_introductions_but_no_notes() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "phone").await;
    app.post_json(
        &format!("/api/v1/members/{}/notes", n.bob_id),
        Some(&n.worker),
        &json!({"body": "Hard of hearing"}),
    )
    .await;
    let worker = browser();
    app.web_login(&worker, WORKER_EMAIL).await;
    let (status, sheet) = app
        .page(&worker, &format!("/worker/members/{}/sheet", n.bob_id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(sheet.contains("gitar lesons") && sheet.contains("Ann"));
    assert!(!sheet.contains("Hard of hearing"));
    assert!(!sheet.contains("csrf_token"), "a sheet has no forms");
    let ann = browser();
    app.web_login(&ann, ANN_EMAIL).await;
    let (status, _) = app
        .page(&ann, &format!("/worker/members/{}/sheet", n.bob_id))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Three residents who each offer what the next one wants (and, for two of them, a swap).
#[tokio::test]
async fn the_dashboard_highlights_swaps_and_circles() {
    let app = spawn_app().await;
    let govan = app.community("govan").await;
    app.member(govan, WORKER_EMAIL, "Wendy Worker", Role::Worker)
        .await;
    let worker = app.token(WORKER_EMAIL).await;
    let mut tokens = Vec::new();
    for (email, name) in [
        ("a@example.org", "Amy"),
        ("b@example.org", "Ben"),
        ("c@example.org", "Col"),
    ] {
        tokens.push(app.signup("govan", email, name).await);
    }
    let skills = ["guitar lessons", "bicycle repair", "vegetable gardening"];
    for (i, token) in tokens.iter().enumerate() {
        app.post_listing(token, "offers", skills[i]).await;
        app.post_listing(token, "wants", skills[(i + 2) % 3]).await;
    }
    // Dee and Eve swap: each wants what the other offers.
    let dee = app.signup("govan", "d@example.org", "Dee").await;
    let eve = app.signup("govan", "e@example.org", "Eve").await;
    app.post_listing(&dee, "offers", "sourdough baking").await;
    app.post_listing(&dee, "wants", "dog walking").await;
    app.post_listing(&eve, "offers", "dog walking").await;
    app.post_listing(&eve, "wants", "sourdough baking").await;

    let board: Value = app.get_json("/api/v1/worker/dashboard", &worker).await;
    let suggestions = board["suggestions"].as_array().unwrap();
    let flagged = |giver: &str, flag: &str| {
        suggestions
            .iter()
            .filter(|s| s["giver"]["display_name"] == giver)
            .all(|s| s[flag] == true)
    };
    for name in ["Amy", "Ben", "Col"] {
        assert!(flagged(name, "circle"), "{name} is in a circle");
        assert!(!flagged(name, "swap"), "{name} is not in a swap");
    }
    for name in ["Dee", "Eve"] {
        assert!(flagged(name, "swap"), "{name} is in a swap");
        assert!(!flagged(name, "circle"));
    }
    assert_eq!(suggestions.len(), 5);
}

#[tokio::test]
async fn members_who_exchanged_long_ago_are_flagged_as_quiet_and_newcomers_are_not() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let suggestion = |board: &Value| board["suggestions"][0].clone();
    let board: Value = app.get_json("/api/v1/worker/dashboard", &n.worker).await;
    assert_eq!(
        suggestion(&board)["quiet"],
        false,
        "never exchanged is not quiet"
    );

    let long_ago = (chrono::Utc::now() - chrono::Duration::days(90)).date_naive();
    let response = app
        .post_json(
            "/api/v1/exchanges",
            Some(&n.ann),
            &json!({"giver": n.ann_id, "receiver": n.bob_id, "minutes": 60,
                    "description": "Gardening", "date": long_ago.to_string()}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let board: Value = app.get_json("/api/v1/worker/dashboard", &n.worker).await;
    assert_eq!(suggestion(&board)["quiet"], true);
}

#[tokio::test]
async fn a_worker_flags_a_member_and_makes_a_sign_in_code_from_the_residents_page() {
    let app = spawn_app().await;
    let n = neighbours(&app, "email", "email").await;
    let worker = browser();
    app.web_login(&worker, WORKER_EMAIL).await;
    let ann_page = format!("/worker/members/{}", n.ann_id);
    let response = app
        .submit_form(
            &worker,
            &ann_page,
            &format!("{ann_page}/safeguarding"),
            &[("needs_second_approval", "on")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&worker, &ann_page).await;
    assert!(html.contains("now need a second worker"));
    let intro = crate::introductions::propose(&app, &n).await;
    assert_eq!(intro["status"], "awaiting_approval");

    // Dora, signed up in the browser, gets a code shown once on her page.
    let response = app
        .submit_form(
            &worker,
            "/worker/residents/new",
            "/worker/residents",
            &[
                ("community", "govan"),
                ("display_name", "Dora"),
                ("consent_method", "in_person"),
                ("consent_given", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let dora_page = response.headers()["location"].to_str().unwrap().to_string();
    assert!(dora_page.starts_with("/worker/members/"), "{dora_page}");
    let response = app
        .submit_form(
            &worker,
            &dora_page,
            &format!("{dora_page}/sign-in-code"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&worker, &dora_page).await;
    assert!(html.contains("One-time sign-in code"));
    let (_, again) = app.page(&worker, &dora_page).await;
    assert!(!again.contains("One-time sign-in code"), "shown only once");
}
