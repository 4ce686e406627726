//! The `kith` command line: migrate, community add, user add, demo, and bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::harness::{PASSWORD, fresh_database};

fn kith(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .env("KITH_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kith");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn community_and_worker_created_from_the_shell_can_log_in() {
    let (url, _dir) = fresh_database().await;

    let migrate = kith(&url, &["migrate"], None);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    let add = kith(
        &url,
        &[
            "community",
            "add",
            "--slug",
            "govan",
            "--name",
            "Govan",
            "--host-org",
            "Govan Trust",
        ],
        None,
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    let user = kith(
        &url,
        &[
            "user",
            "add",
            "--email",
            "morag@example.org",
            "--name",
            "Morag",
            "--community",
            "govan",
            "--role",
            "worker",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(user.status.success(), "{}", text(&user.stderr));
    assert!(!text(&user.stdout).contains("password (shown once)"));

    let generated = kith(
        &url,
        &[
            "user",
            "add",
            "--email",
            "ann@example.org",
            "--name",
            "Ann",
            "--community",
            "govan",
        ],
        Some(""),
    );
    assert!(generated.status.success());
    let out = text(&generated.stdout);
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .expect("password printed");

    let db = kith::db::connect(&url).await.unwrap();
    let worker = kith::services::members::authenticate(&db, "morag@example.org", PASSWORD)
        .await
        .unwrap();
    assert!(worker.is_some());
    let resident = kith::services::members::authenticate(&db, "ann@example.org", password)
        .await
        .unwrap();
    assert!(resident.is_some());
}

#[tokio::test]
async fn bad_cli_input_exits_non_zero_naming_the_option() {
    let (url, _dir) = fresh_database().await;

    let bad_slug = kith(
        &url,
        &["community", "add", "--slug", "Not A Slug", "--name", "X"],
        None,
    );
    assert!(!bad_slug.status.success());
    assert!(
        text(&bad_slug.stderr).contains("--slug"),
        "{}",
        text(&bad_slug.stderr)
    );

    let unknown = kith(
        &url,
        &[
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--community",
            "nowhere",
        ],
        Some(""),
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("--community"),
        "{}",
        text(&unknown.stderr)
    );

    let bad_role = kith(
        &url,
        &[
            "user",
            "add",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--community",
            "x",
            "--role",
            "boss",
        ],
        Some(""),
    );
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("--role"));
}

#[tokio::test]
async fn demo_loads_a_neighbourhood_once_and_prints_logins() {
    let (url, _dir) = fresh_database().await;

    let first = kith(&url, &["demo"], None);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    assert!(out.contains("Loaded the demo neighbourhood"));
    let emails: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|w| w.contains('@'))
        .collect();
    assert!(emails.len() >= 13, "a worker and a dozen residents: {out}");

    let second = kith(&url, &["demo"], None);
    assert!(second.status.success());
    assert!(text(&second.stdout).contains("already loaded"));

    let db = kith::db::connect(&url).await.unwrap();
    let someone =
        kith::services::members::authenticate(&db, emails[1], kith::services::demo::PASSWORD)
            .await
            .unwrap();
    assert!(someone.is_some());
}

fn shared_sample(name: &str) -> String {
    format!(
        "{}/../shared/examples/matching/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn sample_or_local(name: &str) -> String {
    // The planners' sample sits beside the project; fall back to our own copy of the format.
    let shared = shared_sample(name);
    if std::path::Path::new(&shared).exists() {
        shared
    } else {
        format!(
            "{}/tests/data/matching/tune_{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    }
}

#[test]
fn match_prints_one_json_array_in_wants_order_with_scored_matches() {
    let out = kith(
        "sqlite::memory:",
        &[
            "match",
            "--offers",
            &sample_or_local("offers.csv"),
            "--wants",
            &sample_or_local("wants.csv"),
            "--top",
            "3",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let results: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = results.as_array().unwrap();
    assert!(!results.is_empty());
    for entry in results {
        let matches = entry["matches"].as_array().unwrap();
        assert!(matches.len() <= 3);
        let scores: Vec<f64> = matches
            .iter()
            .map(|m| m["score"].as_f64().unwrap())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "descending scores");
        for m in matches {
            assert!(m["offer"].is_string() && m["member"].is_string() && m["why"].is_string());
            assert!(m["strong"].is_boolean());
        }
    }
}

#[test]
fn match_csv_output_has_a_header_and_flat_rows() {
    let out = kith(
        "sqlite::memory:",
        &[
            "match",
            "--offers",
            &sample_or_local("offers.csv"),
            "--wants",
            &sample_or_local("wants.csv"),
            "--format",
            "csv",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("want,offer,member,score,strong,why"));
    assert!(lines.count() > 0);
}

#[test]
fn a_malformed_csv_is_refused_with_line_and_column_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let offers = dir.path().join("offers.csv");
    let wants = dir.path().join("wants.csv");
    std::fs::write(&offers, "id,member,text\no1,m1,Guitar lessons\no2,m2,\n").unwrap();
    std::fs::write(&wants, "id,member,text\nw1,m3,learn guitar\n").unwrap();

    let out = kith(
        "sqlite::memory:",
        &[
            "match",
            "--offers",
            offers.to_str().unwrap(),
            "--wants",
            wants.to_str().unwrap(),
        ],
        None,
    );

    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing half-printed");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(":3:") && stderr.contains("text"),
        "{stderr}"
    );

    std::fs::write(&wants, "id,text\nw1,learn guitar\n").unwrap();
    std::fs::write(&offers, "id,member,text\no1,m1,Guitar lessons\n").unwrap();
    let missing = kith(
        "sqlite::memory:",
        &[
            "match",
            "--offers",
            offers.to_str().unwrap(),
            "--wants",
            wants.to_str().unwrap(),
        ],
        None,
    );
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("member"),
        "{}",
        text(&missing.stderr)
    );
}
