//! Exchanges, group sessions and reversals as validated values.

use chrono::NaiveDate;

use super::{FieldError, bounded_text};
use crate::ledger::Minutes;

/// Longest description of what was done.
pub const MAX_DESCRIPTION: usize = 500;

/// Time one member gave another, ready to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeDraft {
    pub giver_id: i32,
    pub receiver_id: i32,
    pub minutes: Minutes,
    pub date: NaiveDate,
    pub description: String,
    pub offer_id: Option<i32>,
    pub want_id: Option<i32>,
}

impl ExchangeDraft {
    pub fn parse(
        giver_id: i32,
        receiver_id: i32,
        minutes: i64,
        date: &str,
        description: &str,
        today: NaiveDate,
    ) -> Result<Self, FieldError> {
        if giver_id == receiver_id {
            return Err(FieldError::new(
                "receiver",
                "giver and receiver must be two different people",
            ));
        }
        Ok(Self {
            giver_id,
            receiver_id,
            minutes: Minutes::parse("minutes", minutes)?,
            date: parse_date(date, today)?,
            description: bounded_text("description", description, MAX_DESCRIPTION)?,
            offer_id: None,
            want_id: None,
        })
    }
}

/// A group session: one host, its length, and who came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDraft {
    pub host_id: i32,
    pub title: String,
    pub minutes: Minutes,
    pub date: NaiveDate,
    pub attendees: Vec<i32>,
}

impl ActivityDraft {
    pub fn parse(
        host_id: i32,
        title: &str,
        minutes: i64,
        date: &str,
        attendees: &[i32],
        today: NaiveDate,
    ) -> Result<Self, FieldError> {
        let mut attendees: Vec<i32> = attendees
            .iter()
            .copied()
            .filter(|&a| a != host_id)
            .collect();
        attendees.sort_unstable();
        attendees.dedup();
        if attendees.is_empty() {
            return Err(FieldError::new(
                "attendees",
                "list at least one person who took part, other than the host",
            ));
        }
        Ok(Self {
            host_id,
            title: bounded_text("title", title, 200)?,
            minutes: Minutes::parse("minutes", minutes)?,
            date: parse_date(date, today)?,
            attendees,
        })
    }
}

/// A date as `YYYY-MM-DD`, not in the future (time is recorded once it has been given).
pub fn parse_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            "date",
            format!("`{}` is not a date like 2026-11-24", raw.trim()),
        )
    })?;
    if date > today {
        return Err(FieldError::new(
            "date",
            "record time once it has been given, not in advance",
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn an_exchange_needs_two_people_positive_minutes_and_a_past_date() {
        assert!(ExchangeDraft::parse(1, 2, 60, "2026-11-20", "Guitar lesson", today()).is_ok());
        assert_eq!(
            ExchangeDraft::parse(1, 1, 60, "2026-11-20", "x", today())
                .unwrap_err()
                .field,
            "receiver"
        );
        assert_eq!(
            ExchangeDraft::parse(1, 2, 0, "2026-11-20", "x", today())
                .unwrap_err()
                .field,
            "minutes"
        );
        assert_eq!(
            ExchangeDraft::parse(1, 2, 60, "2026-12-01", "x", today())
                .unwrap_err()
                .field,
            "date"
        );
        assert_eq!(
            ExchangeDraft::parse(1, 2, 60, "yesterday", "x", today())
                .unwrap_err()
                .field,
            "date"
        );
        assert_eq!(
            ExchangeDraft::parse(1, 2, 60, "2026-11-20", " ", today())
                .unwrap_err()
                .field,
            "description"
        );
    }

    #[test]
    fn a_session_needs_someone_besides_the_host() {
        let d = ActivityDraft::parse(
            1,
            "Knitting circle",
            90,
            "2026-11-24",
            &[2, 3, 2, 1],
            today(),
        )
        .unwrap();
        assert_eq!(d.attendees, vec![2, 3]);
        assert_eq!(
            ActivityDraft::parse(1, "x", 90, "2026-11-24", &[1], today())
                .unwrap_err()
                .field,
            "attendees"
        );
    }
}
