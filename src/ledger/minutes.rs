//! Whole minutes of time: the ledger's only unit (one hour is one hour, whatever the skill).

use crate::domain::FieldError;

/// A positive number of minutes, at most a day's worth for one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(i64);

/// Longest single exchange or session that can be recorded: 24 hours.
pub const MAX_MINUTES: i64 = 24 * 60;

impl Minutes {
    /// Parses a positive whole number of minutes up to [`MAX_MINUTES`].
    pub fn parse(field: &'static str, minutes: i64) -> Result<Self, FieldError> {
        if minutes <= 0 {
            return Err(FieldError::new(
                field,
                "minutes must be a positive whole number",
            ));
        }
        if minutes > MAX_MINUTES {
            return Err(FieldError::new(
                field,
                format!(
                    "{minutes} minutes is more than a day; record one exchange per day, at most {MAX_MINUTES} minutes"
                ),
            ));
        }
        Ok(Self(minutes))
    }

    /// From hours and minutes as typed into a form.
    pub fn from_hours_and_minutes(
        field: &'static str,
        hours: i64,
        minutes: i64,
    ) -> Result<Self, FieldError> {
        if !(0..60).contains(&minutes) || hours < 0 {
            return Err(FieldError::new(
                field,
                "give hours and 0 to 59 minutes, e.g. 1 h 30 min",
            ));
        }
        Self::parse(field, hours.saturating_mul(60).saturating_add(minutes))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// Formats signed minutes for people: `1 h 30 min`, `-45 min`, `0 h`.
pub fn format_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    match (h, m) {
        (0, 0) => "0 h".to_string(),
        (h, 0) => format!("{sign}{h} h"),
        (0, m) => format!("{sign}{m} min"),
        (h, m) => format!("{sign}{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_positive_and_at_most_a_day() {
        assert!(Minutes::parse("minutes", 0).is_err());
        assert!(Minutes::parse("minutes", -5).is_err());
        assert!(Minutes::parse("minutes", MAX_MINUTES + 1).is_err());
        assert_eq!(Minutes::parse("minutes", 90).unwrap().get(), 90);
        assert_eq!(
            Minutes::from_hours_and_minutes("minutes", 1, 30)
                .unwrap()
                .get(),
            90
        );
        assert!(Minutes::from_hours_and_minutes("minutes", 1, 60).is_err());
    }

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(format_minutes(90), "1 h 30 min");
        assert_eq!(format_minutes(-45), "-45 min");
        assert_eq!(format_minutes(120), "2 h");
        assert_eq!(format_minutes(0), "0 h");
    }
}
