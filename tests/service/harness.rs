//! `spawn_app()`: a running kith on a random port with its own database, plus request helpers.

use std::sync::atomic::{AtomicU64, Ordering};

use kith::config::Config;
use kith::domain::community::CommunityDraft;
use kith::domain::member::{MemberDraft, Role};
use kith::services::{communities, members};
use kith::state::AppState;
use reqwest::{Client, Response, StatusCode, redirect};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};

/// Every password the tests use; long enough for the rules.
pub const PASSWORD: &str = "a long test password";

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    /// The configuration the app runs with (mail settings included).
    #[allow(dead_code)]
    pub config: Config,
    /// Kept so the SQLite file lives as long as the app.
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "kith_t_{}_{}_{}",
        std::process::id(),
        n,
        nanos % 1_000_000_000
    )
}

/// A fresh, migrated database: a PostgreSQL database of its own, or a temporary SQLite file.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("KITH_TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            let name = unique_name();
            let admin = kith::db::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            (format!("{base}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/kith.db?mode=rwc", dir.path().display());
            (url, Some(dir))
        }
    }
}

/// Starts kith on 127.0.0.1 with an ephemeral port and a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Like [`spawn_app`], with extra configuration variables (e.g. `KITH_SMTP_URL`).
pub async fn spawn_app_with(extra: &[(&str, String)]) -> TestApp {
    let (database_url, dir) = fresh_database().await;
    let db = kith::db::connect_and_migrate(&database_url)
        .await
        .expect("migrate test database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let config = Config::from_lookup(|key| match key {
        "KITH_DATABASE_URL" => Some(database_url.clone()),
        "KITH_BIND" => Some("127.0.0.1:0".into()),
        "KITH_BASE_URL" => Some(address.clone()),
        other => extra
            .iter()
            .find(|(k, _)| *k == other)
            .map(|(_, v)| v.clone()),
    })
    .expect("config");
    let state = AppState::load(db.clone(), config.clone())
        .await
        .expect("load state");
    let app = kith::startup::router(state);
    tokio::spawn(async move { axum::serve(listener, app).await });
    TestApp {
        address,
        db,
        config,
        _dir: dir,
    }
}

/// A client that keeps cookies (like a browser) and does not follow redirects.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Creates a community through the library API.
    pub async fn community(&self, slug: &str) -> i32 {
        let draft =
            CommunityDraft::parse(slug, &format!("{slug} neighbourhood"), Some("Host Trust"))
                .unwrap();
        communities::create(&self.db, draft).await.unwrap().id
    }

    /// Creates a member with `role` directly (as `kith user add` does) and returns their id.
    pub async fn member(&self, community_id: i32, email: &str, name: &str, role: Role) -> i32 {
        let draft = MemberDraft::self_signup(name, email, PASSWORD).unwrap();
        members::create(&self.db, draft, community_id, role)
            .await
            .unwrap()
            .id
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = Client::new().post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Response {
        Client::new()
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_api(&self, path: &str, token: &str) -> Response {
        Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_api(&self, path: &str, token: &str) -> Response {
        Client::new()
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Signs up through the API and returns a bearer token for the new resident.
    pub async fn signup(&self, community: &str, email: &str, name: &str) -> String {
        let response = self
            .post_json(
                "/api/v1/signup",
                None,
                &json!({"community": community, "email": email, "password": PASSWORD, "display_name": name}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "signup {email}");
        self.token(email).await
    }

    /// Logs in through the API and returns the token.
    pub async fn token(&self, email: &str) -> String {
        let response = self
            .post_json(
                "/api/v1/login",
                None,
                &json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "login {email}");
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }

    /// Posts an offer or want (`kind` = "offers" / "wants") and returns its id.
    pub async fn post_listing(&self, token: &str, kind: &str, text: &str) -> i64 {
        let response = self
            .post_json(
                &format!("/api/v1/{kind}"),
                Some(token),
                &json!({"text": text}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        body["id"].as_i64().unwrap()
    }

    /// Logs a browser in through the HTML form.
    pub async fn web_login(&self, client: &Client, email: &str) {
        let csrf = self.csrf_token(client, "/login").await;
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("email", email),
                ("password", PASSWORD),
                ("next", "/me"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "web login {email}"
        );
    }

    /// Loads `path` and returns the CSRF token from its first form.
    pub async fn csrf_token(&self, client: &Client, path: &str) -> String {
        let html = client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        csrf_from(&html)
    }

    /// Submits a form the way a browser would: CSRF token from `from_page`, then POST `fields`
    /// to `action`. Returns the response (redirects are not followed).
    pub async fn submit_form(
        &self,
        client: &Client,
        from_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let csrf = self.csrf_token(client, from_page).await;
        let mut form = vec![("csrf_token", csrf.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .expect("form post")
    }

    pub async fn put_json(&self, path: &str, token: &str, body: &Value) -> Response {
        Client::new()
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// GETs an API path with a token and reads the JSON body (any status) as `T`.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        self.get_api(path, token)
            .await
            .json()
            .await
            .expect("JSON body")
    }

    /// The id of the community with this slug.
    pub async fn community_id(&self, slug: &str) -> i32 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::community::Entity::find()
            .filter(entity::community::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .unwrap()
            .expect("community")
            .id
    }

    /// A member's id, read from `GET /api/v1/me` with their token.
    pub async fn my_id(&self, token: &str) -> i64 {
        let me: Value = self
            .get_api("/api/v1/me", token)
            .await
            .json()
            .await
            .unwrap();
        me["id"].as_i64().expect("member id")
    }

    /// A page's status and body.
    pub async fn page(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let response = client.get(self.url(path)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }
}

/// The value of the first `csrf_token` hidden input in `html`.
pub fn csrf_from(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("input[name=csrf_token]").unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .expect("page has a CSRF token")
        .to_string()
}

/// Reads a problem-details response, checking its content type.
pub async fn problem(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    (status, response.json().await.unwrap())
}
