//! Introductions in digests: each member is told of one waiting for their answer, the worker's
//! brokering digest lists those under way, and nobody's contact details travel by email.

use chrono::Duration;

use crate::digests::{decoded, mail_app};
use crate::introductions::{
    ANN_EMAIL, ANN_PHONE, BOB_EMAIL, BOB_PHONE, WORKER_EMAIL, act, neighbours, propose,
};

#[tokio::test]
async fn digests_tell_both_members_and_the_worker_about_an_introduction_waiting() {
    let m = mail_app().await;
    let n = neighbours(&m.app, "email_and_phone", "email_and_phone").await;
    let id = propose(&m.app, &n).await["id"].as_i64().unwrap();
    let link = format!("{}/introductions/{id}", m.app.address);

    m.run(kith::services::now()).await;
    for (reader, other) in [(ANN_EMAIL, "Bob"), (BOB_EMAIL, "Ann")] {
        let mail = m.to(reader);
        assert_eq!(mail.len(), 1, "{reader}");
        let body = decoded(&mail[0].data);
        assert!(
            body.contains("INTRODUCTIONS WAITING FOR YOUR ANSWER"),
            "{body}"
        );
        assert!(body.contains(other) && body.contains(&link), "{body}");
        for secret in [ANN_EMAIL, ANN_PHONE, BOB_EMAIL, BOB_PHONE] {
            let in_body = body
                .split("\r\n\r\n")
                .skip(1)
                .any(|part| part.contains(secret));
            assert!(!in_body, "{secret} in {reader}'s digest");
        }
    }
    let worker = decoded(&m.to(WORKER_EMAIL)[0].data);
    assert!(worker.contains("INTRODUCTIONS PENDING"), "{worker}");
    assert!(
        worker.contains("Ann and Bob (waiting for both answers)"),
        "{worker}"
    );

    // Ann says yes; a week later only Bob still has it waiting, and Ann hears nothing new.
    act(&m.app, &n.ann, id, "accept", serde_json::json!({})).await;
    m.run(kith::services::now() + Duration::days(8)).await;
    assert_eq!(m.to(ANN_EMAIL).len(), 1, "nothing new for Ann");
    let bob = m.to(BOB_EMAIL);
    assert_eq!(bob.len(), 2);
    assert!(decoded(&bob[1].data).contains(&link));
}
