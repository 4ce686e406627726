//! One-click unsubscribe (RFC 8058): a cookie-less POST, the browser page, replays, forgeries.

use chrono::Duration;
use reqwest::{Client, StatusCode};

use crate::digests::{ann_and_bob, header, mail_app};
use crate::harness::browser;

/// The unsubscribe URL from the last digest to `address`.
fn link(m: &crate::digests::MailApp, address: &str) -> String {
    let mail = m.to(address).pop().expect("a digest");
    let value = header(&mail.data, "List-Unsubscribe").expect("header");
    value.trim_matches(['<', '>']).to_string()
}

#[tokio::test]
async fn one_click_post_without_cookies_unsubscribes_and_replays_are_harmless() {
    let m = mail_app().await;
    let (ann, _) = ann_and_bob(&m.app).await;
    let now = kith::services::now();
    m.run(now).await;
    let url = link(&m, "ann@example.org");

    // What a mail client sends: no cookie, no CSRF token, just the RFC 8058 body.
    for _ in 0..2 {
        let response = Client::new()
            .post(&url)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.text().await.unwrap().contains("no more digests"));
    }

    // New matches later: Bob hears of Cat, Ann hears nothing.
    let cat = m.app.signup("govan", "cat@example.org", "Cat").await;
    m.app.post_listing(&cat, "offers", "guitar lessons").await;
    m.app.post_listing(&cat, "wants", "guitar lessons").await;
    m.run(now + Duration::days(8)).await;
    assert_eq!(m.to("ann@example.org").len(), 1);
    let me: serde_json::Value = m.app.get_json("/api/v1/me", &ann).await;
    assert_eq!(me["digest"]["frequency"], "off");
    assert_eq!(me["digest"]["unsubscribed"], true);
}

#[tokio::test]
async fn the_link_in_a_browser_asks_for_one_click_then_unsubscribes() {
    let m = mail_app().await;
    ann_and_bob(&m.app).await;
    m.run(kith::services::now()).await;
    let url = link(&m, "bob@example.org");

    let client = browser();
    let page = client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Stop email digests?"), "{html}");
    assert!(html.contains(&format!(
        "action=\"{}\"",
        url.trim_start_matches(&m.app.address)
    )));
    // Looking at the page alone changes nothing (link scanners fetch every URL).
    let me_token = m.app.token("bob@example.org").await;
    let me: serde_json::Value = m.app.get_json("/api/v1/me", &me_token).await;
    assert_eq!(me["digest"]["unsubscribed"], false);

    let done = client.post(&url).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let me: serde_json::Value = m.app.get_json("/api/v1/me", &me_token).await;
    assert_eq!(me["digest"]["unsubscribed"], true);
}

#[tokio::test]
async fn forged_or_unknown_tokens_are_rejected_and_change_nothing() {
    let m = mail_app().await;
    let (ann, _) = ann_and_bob(&m.app).await;
    m.run(kith::services::now()).await;
    let real = link(&m, "ann@example.org");
    let base = real.rsplit_once('/').unwrap().0.to_string();
    let forged = format!("{base}/{}", "ab".repeat(32));
    for url in [forged, format!("{base}/1"), format!("{base}/' OR 1=1 --")] {
        let response = Client::new().post(&url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{url}");
        let response = Client::new().get(&url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{url}");
    }
    let me: serde_json::Value = m.app.get_json("/api/v1/me", &ann).await;
    assert_eq!(me["digest"]["unsubscribed"], false);
    assert_eq!(me["digest"]["frequency"], "weekly");
}

#[tokio::test]
async fn members_choose_their_digest_on_my_profile() {
    let m = mail_app().await;
    let (ann, _) = ann_and_bob(&m.app).await;
    let client = browser();
    m.app.web_login(&client, "ann@example.org").await;
    let (status, html) = m.app.page(&client, "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Email digest"));
    let csrf = crate::harness::csrf_from(&html);
    let response = client
        .post(m.app.url("/me/digest"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("frequency", "daily"),
            ("weekday", "2"),
            ("hour", "7"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let me: serde_json::Value = m.app.get_json("/api/v1/me", &ann).await;
    assert_eq!(me["digest"]["frequency"], "daily");
    assert_eq!(me["digest"]["weekday"], 2);
    assert_eq!(me["digest"]["hour"], 7);
    // Without the CSRF token the form is refused.
    let response = client
        .post(m.app.url("/me/digest"))
        .form(&[("frequency", "off"), ("weekday", "0"), ("hour", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
