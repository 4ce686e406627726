//! Reciprocity figures for one member: giving and receiving, made visible.

use std::collections::HashSet;

use chrono::NaiveDate;

/// A confirmed exchange as the reciprocity figures need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeFact {
    pub giver: i32,
    pub receiver: i32,
    pub minutes: i64,
    pub date: NaiveDate,
}

/// How a member gives and receives.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Reciprocity {
    pub minutes_given: i64,
    pub minutes_received: i64,
    /// Given minus received.
    pub net_minutes: i64,
    /// How many different people they have exchanged with, either way.
    pub people_exchanged_with: usize,
    pub first_give: Option<NaiveDate>,
    pub first_receive: Option<NaiveDate>,
}

impl Reciprocity {
    /// Mostly receiving: received more than given (the matcher shows such members chances to give).
    pub fn mostly_receives(&self) -> bool {
        self.minutes_received > self.minutes_given
    }
}

/// Figures for `member` from the exchanges they took part in (others are ignored).
pub fn reciprocity(member: i32, exchanges: &[ExchangeFact]) -> Reciprocity {
    let mut r = Reciprocity::default();
    let mut people = HashSet::new();
    for e in exchanges {
        if e.giver == member && e.receiver != member {
            r.minutes_given += e.minutes;
            people.insert(e.receiver);
            r.first_give = Some(r.first_give.map_or(e.date, |d| d.min(e.date)));
        } else if e.receiver == member && e.giver != member {
            r.minutes_received += e.minutes;
            people.insert(e.giver);
            r.first_receive = Some(r.first_receive.map_or(e.date, |d| d.min(e.date)));
        }
    }
    r.net_minutes = r.minutes_given - r.minutes_received;
    r.people_exchanged_with = people.len();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn figures_count_both_directions_and_distinct_people() {
        let facts = [
            ExchangeFact {
                giver: 1,
                receiver: 2,
                minutes: 60,
                date: day(3),
            },
            ExchangeFact {
                giver: 1,
                receiver: 2,
                minutes: 30,
                date: day(1),
            },
            ExchangeFact {
                giver: 3,
                receiver: 1,
                minutes: 120,
                date: day(5),
            },
            ExchangeFact {
                giver: 4,
                receiver: 5,
                minutes: 600,
                date: day(2),
            },
        ];
        let r = reciprocity(1, &facts);
        assert_eq!(r.minutes_given, 90);
        assert_eq!(r.minutes_received, 120);
        assert_eq!(r.net_minutes, -30);
        assert_eq!(r.people_exchanged_with, 2);
        assert_eq!(r.first_give, Some(day(1)));
        assert_eq!(r.first_receive, Some(day(5)));
        assert!(r.mostly_receives());
    }
}
