//! The OpenAPI document parses as OpenAPI 3.1 and describes every `/api/v1` route.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::spawn_app;

#[tokio::test]
async fn openapi_document_is_valid_and_lists_every_route() {
    let app = spawn_app().await;
    let text = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3."));
    let raw: Value = serde_json::from_str(&text).unwrap();
    let paths = raw["paths"].as_object().unwrap();
    let expected = [
        ("/api/v1/signup", "post"),
        ("/api/v1/login", "post"),
        ("/api/v1/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/offers", "get"),
        ("/api/v1/offers", "post"),
        ("/api/v1/offers/{id}", "get"),
        ("/api/v1/offers/{id}", "patch"),
        ("/api/v1/offers/{id}", "delete"),
        ("/api/v1/wants", "get"),
        ("/api/v1/wants", "post"),
        ("/api/v1/wants/{id}", "get"),
        ("/api/v1/wants/{id}", "patch"),
        ("/api/v1/wants/{id}", "delete"),
        ("/api/v1/members/{id}", "get"),
        ("/api/v1/residents", "post"),
        ("/api/v1/staff", "post"),
        ("/api/v1/communities", "get"),
        ("/api/v1/communities", "post"),
        ("/api/v1/communities/{slug}/limits", "patch"),
        ("/api/v1/matches", "get"),
        ("/api/v1/exchanges", "get"),
        ("/api/v1/exchanges", "post"),
        ("/api/v1/exchanges/{id}/confirm", "post"),
        ("/api/v1/exchanges/{id}/dispute", "post"),
        ("/api/v1/activities", "post"),
        ("/api/v1/postings/{id}/reverse", "post"),
        ("/api/v1/members/{id}/ledger", "get"),
        ("/api/v1/introductions", "get"),
        ("/api/v1/introductions", "post"),
        ("/api/v1/introductions/{id}", "get"),
        ("/api/v1/introductions/{id}/accept", "post"),
        ("/api/v1/introductions/{id}/decline", "post"),
        ("/api/v1/introductions/{id}/withdraw", "post"),
        ("/api/v1/introductions/{id}/approve", "post"),
        ("/api/v1/introductions/{id}/met", "post"),
        ("/api/v1/introductions/{id}/notes", "get"),
        ("/api/v1/introductions/{id}/notes", "post"),
        ("/api/v1/worker/dashboard", "get"),
        ("/api/v1/members/{id}/notes", "get"),
        ("/api/v1/members/{id}/notes", "post"),
        ("/api/v1/members/{id}/safeguarding", "put"),
        ("/api/v1/members/{id}/sign-in-code", "post"),
        ("/api/v1/welcome", "post"),
        ("/api/v1/outbox", "get"),
        ("/api/v1/outbox/{id}/retry", "post"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }

    // And every documented operation is really served (none falls through to 404).
    let client = reqwest::Client::new();
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            let url = app.url(&path.replace("{id}", "1").replace("{slug}", "x"));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = client.request(method.clone(), &url).send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            assert!(
                status != StatusCode::NOT_FOUND
                    || body.contains("not found") && !body.contains("API route"),
                "{method} {path} is documented but not routed"
            );
        }
    }
}
