//! Email digests as pure logic: what goes into one (`DigestInput`) and the message it makes.
//!
//! Nothing here touches the database or the network, so the wording, ordering and "nothing
//! new, nothing sent" rule are unit-tested; `services::digests` gathers the inputs and
//! `services::outbox` sends the results.

pub mod schedule;
pub mod worker;

use askama::Template;

/// Net minutes received (received minus given) from which a digest adds a gentle nudge to give.
pub const NUDGE_MINUTES: i64 = 600;

/// A new strong match, seen from the digest's reader.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchLine {
    pub other_member_id: i32,
    /// Display name only: digests never carry contact details.
    pub other_name: String,
    pub my_text: String,
    pub their_text: String,
    /// They could help me and I could help them.
    pub swap: bool,
}

/// An introduction waiting for the reader's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct IntroductionLine {
    pub other_name: String,
    pub about: String,
    /// Path of the page where the reader answers, e.g. `/introductions/7`.
    pub path: String,
}

/// An exchange someone else recorded that waits for the reader's confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeLine {
    pub other_name: String,
    pub minutes: i64,
    pub description: String,
    /// The reader gave the time (otherwise received it).
    pub reader_gave: bool,
}

/// Everything new for one member since their last digest.
#[derive(Clone, Debug, Default)]
pub struct DigestInput {
    pub member_name: String,
    /// `KITH_BASE_URL`, no trailing slash.
    pub base_url: String,
    pub unsubscribe_url: String,
    /// Others' offers that meet my wants.
    pub could_help_me: Vec<MatchLine>,
    /// My offers that meet others' wants.
    pub i_could_help: Vec<MatchLine>,
    pub introductions_waiting: Vec<IntroductionLine>,
    pub exchanges_waiting: Vec<ExchangeLine>,
    /// Net minutes received beyond given, when at least [`NUDGE_MINUTES`].
    pub nudge_minutes: Option<i64>,
}

/// A composed digest, ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Failure to render a template: a bug, reported rather than panicking in the job.
#[derive(Debug, thiserror::Error)]
#[error("cannot render the digest: {0}")]
pub struct RenderError(#[from] askama::Error);

#[derive(Template)]
#[template(path = "digest.txt")]
struct DigestText<'a> {
    d: &'a DigestInput,
}

#[derive(Template)]
#[template(path = "digest.html")]
struct DigestHtml<'a> {
    d: &'a DigestInput,
    subject: &'a str,
}

impl DigestInput {
    /// Whether there is anything new to tell (a nudge alone is not news).
    pub fn has_news(&self) -> bool {
        !(self.could_help_me.is_empty()
            && self.i_could_help.is_empty()
            && self.introductions_waiting.is_empty()
            && self.exchanges_waiting.is_empty())
    }

    /// The nudge's hours, when there is one.
    pub fn nudge_hours(&self) -> Option<String> {
        self.nudge_minutes.map(hours)
    }
}

impl ExchangeLine {
    /// The exchange's length in hours.
    pub fn hours(&self) -> String {
        hours(self.minutes)
    }
}

/// Hours as a friendly number: `1`, `1.5`, `2`.
pub fn hours(minutes: i64) -> String {
    let hours = minutes as f64 / 60.0;
    if (hours - hours.round()).abs() < 0.01 {
        format!("{}", hours.round() as i64)
    } else {
        format!("{hours:.1}")
    }
}

/// The digest for `input`, or `None` when there is nothing new (then nothing is sent).
pub fn compose(input: &DigestInput) -> Result<Option<Digest>, RenderError> {
    if !input.has_news() {
        return Ok(None);
    }
    let mut input = input.clone();
    // Swaps first: two neighbours who can each help the other are the best news of all.
    input.could_help_me.sort_by_key(|m| !m.swap);
    input.i_could_help.sort_by_key(|m| !m.swap);
    let subject = subject(&input);
    let text = DigestText { d: &input }.render()?;
    let html = DigestHtml {
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

fn people(n: usize) -> String {
    match n {
        1 => "a neighbour".to_string(),
        2 => "two neighbours".to_string(),
        3 => "three neighbours".to_string(),
        n => format!("{n} neighbours"),
    }
}

fn subject(d: &DigestInput) -> String {
    let helpers = distinct(&d.could_help_me);
    let helped = distinct(&d.i_could_help);
    let mut parts = Vec::new();
    if helpers > 0 {
        parts.push(format!("{} could help you", people(helpers)));
    }
    if helped > 0 {
        parts.push(format!("{} would love your help", people(helped)));
    }
    if parts.is_empty() {
        let waiting = d.introductions_waiting.len() + d.exchanges_waiting.len();
        return if waiting == 1 {
            "kith: one thing is waiting for you".to_string()
        } else {
            format!("kith: {waiting} things are waiting for you")
        };
    }
    let mut s = format!("kith: {}", parts.join(", and "));
    if let Some(first) = s.get(6..7) {
        // "kith: a neighbour…" reads better capitalised after the colon.
        let upper = first.to_uppercase();
        s.replace_range(6..7, &upper);
    }
    s
}

fn distinct(lines: &[MatchLine]) -> usize {
    let mut ids: Vec<i32> = lines.iter().map(|m| m.other_member_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

#[cfg(test)]
mod tests;
