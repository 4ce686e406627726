//! A worker's daily brokering digest: new strong matches, swaps, pending introductions and
//! unconfirmed exchanges in their communities, with residents who have no email flagged.

use askama::Template;

use super::{Digest, IntroductionLine, RenderError, hours};

/// A new strong match between two residents of the worker's communities.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerMatch {
    pub community: String,
    pub giver_id: i32,
    pub giver_name: String,
    pub offer_text: String,
    pub receiver_id: i32,
    pub receiver_name: String,
    pub want_text: String,
    pub swap: bool,
    /// Either side has no email, so only the worker can pass this on.
    pub needs_worker: bool,
}

/// An exchange in the worker's communities still waiting for confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerExchange {
    pub community: String,
    pub giver_name: String,
    pub receiver_name: String,
    pub minutes: i64,
    pub description: String,
}

impl BrokerExchange {
    /// The exchange's length in hours.
    pub fn hours(&self) -> String {
        hours(self.minutes)
    }
}

/// Everything new in a worker's communities since their last brokering digest.
#[derive(Clone, Debug, Default)]
pub struct WorkerDigestInput {
    pub worker_name: String,
    pub base_url: String,
    pub unsubscribe_url: String,
    pub new_matches: Vec<BrokerMatch>,
    pub introductions_pending: Vec<IntroductionLine>,
    pub exchanges_unconfirmed: Vec<BrokerExchange>,
}

#[derive(Template)]
#[template(path = "worker_digest.txt")]
struct WorkerText<'a> {
    d: &'a WorkerDigestInput,
}

#[derive(Template)]
#[template(path = "worker_digest.html")]
struct WorkerHtml<'a> {
    d: &'a WorkerDigestInput,
    subject: &'a str,
}

/// The brokering digest for `input`, or `None` when nothing is new.
pub fn compose_worker(input: &WorkerDigestInput) -> Result<Option<Digest>, RenderError> {
    if input.new_matches.is_empty()
        && input.introductions_pending.is_empty()
        && input.exchanges_unconfirmed.is_empty()
    {
        return Ok(None);
    }
    let mut input = input.clone();
    // Swaps, then matches only a worker can pass on, lead: they need a person most.
    input
        .new_matches
        .sort_by_key(|m| (!m.swap, !m.needs_worker));
    let swaps = input.new_matches.iter().filter(|m| m.swap).count();
    let subject = format!(
        "kith brokering: {} new match{}{}, {} exchange{} to confirm",
        input.new_matches.len(),
        if input.new_matches.len() == 1 {
            ""
        } else {
            "es"
        },
        if swaps > 0 {
            format!(" ({swaps} swap{})", if swaps == 1 { "" } else { "s" })
        } else {
            String::new()
        },
        input.exchanges_unconfirmed.len(),
        if input.exchanges_unconfirmed.len() == 1 {
            ""
        } else {
            "s"
        },
    );
    let text = WorkerText { d: &input }.render()?;
    let html = WorkerHtml {
        d: &input,
        subject: &subject,
    }
    .render()?;
    Ok(Some(Digest {
        subject,
        text,
        html,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brokered(swap: bool, needs_worker: bool, giver: &str) -> BrokerMatch {
        BrokerMatch {
            community: "Govan".into(),
            giver_id: 1,
            giver_name: giver.into(),
            offer_text: "bike repairs".into(),
            receiver_id: 2,
            receiver_name: "Bob".into(),
            want_text: "fix my bike".into(),
            swap,
            needs_worker,
        }
    }

    #[test]
    fn nothing_new_sends_nothing_and_swaps_and_offline_members_lead() {
        let mut d = WorkerDigestInput {
            worker_name: "Morag".into(),
            base_url: "http://k".into(),
            unsubscribe_url: "http://k/unsubscribe/t".into(),
            ..Default::default()
        };
        assert!(compose_worker(&d).unwrap().is_none());
        d.new_matches = vec![
            brokered(false, false, "Plain"),
            brokered(false, true, "Offline"),
            brokered(true, false, "Swapper"),
        ];
        d.exchanges_unconfirmed = vec![BrokerExchange {
            community: "Govan".into(),
            giver_name: "Ann".into(),
            receiver_name: "Bob".into(),
            minutes: 120,
            description: "Garden".into(),
        }];
        let digest = compose_worker(&d).unwrap().unwrap();
        assert_eq!(
            digest.subject,
            "kith brokering: 3 new matches (1 swap), 1 exchange to confirm"
        );
        let (s, o, p) = (
            digest.text.find("Swapper").unwrap(),
            digest.text.find("Offline").unwrap(),
            digest.text.find("Plain").unwrap(),
        );
        assert!(s < o && o < p, "{}", digest.text);
        assert!(digest.text.contains("no email"));
        assert!(digest.html.contains("2 hours"));
    }
}
