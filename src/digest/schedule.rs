//! When a member's digest is due, and which period it belongs to (pure; times in UTC).

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::domain::FieldError;

/// How often a member wants a digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    Off,
    Daily,
    Weekly,
}

impl Frequency {
    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Off => "off",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    /// Parses `off`, `daily` or `weekly`, naming them when `raw` is none of those.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(Frequency::Off),
            "daily" => Ok(Frequency::Daily),
            "weekly" => Ok(Frequency::Weekly),
            other => Err(FieldError::new(
                "digest_frequency",
                format!("`{other}` is not a digest frequency: use off, daily or weekly"),
            )),
        }
    }
}

/// Day names, Monday first, as `weekday` numbers them.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A member's digest schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub frequency: Frequency,
    /// 0 = Monday … 6 = Sunday (weekly digests only).
    pub weekday: u8,
    /// Hour of the day, UTC, from which the digest may go.
    pub hour: u8,
}

impl Default for Schedule {
    /// Weekly on Monday from 08:00: frequent enough to bring people back, rare enough to welcome.
    fn default() -> Self {
        Self {
            frequency: Frequency::Weekly,
            weekday: 0,
            hour: 8,
        }
    }
}

impl Schedule {
    /// Checks a frequency, weekday (0–6) and hour (0–23).
    pub fn parse(frequency: &str, weekday: i64, hour: i64) -> Result<Self, FieldError> {
        let frequency = Frequency::parse(frequency)?;
        let weekday = u8::try_from(weekday)
            .ok()
            .filter(|d| *d < 7)
            .ok_or_else(|| {
                FieldError::new(
                    "digest_weekday",
                    "the digest day is 0 (Monday) to 6 (Sunday)",
                )
            })?;
        let hour = u8::try_from(hour)
            .ok()
            .filter(|h| *h < 24)
            .ok_or_else(|| FieldError::new("digest_hour", "the digest hour is 0 to 23"))?;
        Ok(Self {
            frequency,
            weekday,
            hour,
        })
    }

    /// The period a digest composed at `now` belongs to, if one is due: the key is the same all
    /// period long, so the outbox's uniqueness lets at most one digest per period through. With
    /// `force` the day and hour are ignored (for `kith digest run --now`), the period is not.
    pub fn due_period(&self, now: DateTime<Utc>, force: bool) -> Option<String> {
        let reached_hour = now.hour() >= u32::from(self.hour);
        match self.frequency {
            Frequency::Off => None,
            Frequency::Daily => {
                (force || reached_hour).then(|| format!("daily:{}", now.format("%Y-%m-%d")))
            }
            Frequency::Weekly => {
                let today = now.weekday().num_days_from_monday();
                let wanted = u32::from(self.weekday);
                // A server that was down on the day still sends later in the same week.
                let due = today > wanted || (today == wanted && reached_hour);
                let week = now.iso_week();
                (force || due).then(|| format!("weekly:{}-W{:02}", week.year(), week.week()))
            }
        }
    }

    /// The period of a worker's daily brokering digest composed at `now`, if due.
    pub fn worker_period(&self, now: DateTime<Utc>, force: bool) -> Option<String> {
        let due = force || now.hour() >= u32::from(self.hour);
        (self.frequency != Frequency::Off && due)
            .then(|| format!("worker:{}", now.format("%Y-%m-%d")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn weekly_is_due_from_the_chosen_day_and_hour_for_the_rest_of_the_week() {
        let s = Schedule::default(); // Monday 08:00
        // 2026-11-23 is a Monday.
        assert_eq!(s.due_period(at(2026, 11, 23, 7), false), None);
        assert_eq!(
            s.due_period(at(2026, 11, 23, 8), false).as_deref(),
            Some("weekly:2026-W48")
        );
        assert_eq!(
            s.due_period(at(2026, 11, 29, 23), false).as_deref(),
            Some("weekly:2026-W48")
        );
        assert_eq!(
            s.due_period(at(2026, 11, 23, 7), true).as_deref(),
            Some("weekly:2026-W48")
        );
        let friday = Schedule::parse("weekly", 4, 18).unwrap();
        assert_eq!(friday.due_period(at(2026, 11, 26, 20), false), None);
    }

    #[test]
    fn daily_has_one_period_per_day_and_off_never_is_due() {
        let s = Schedule::parse("daily", 0, 6).unwrap();
        assert_eq!(s.due_period(at(2026, 11, 24, 5), false), None);
        assert_eq!(
            s.due_period(at(2026, 11, 24, 6), false).as_deref(),
            Some("daily:2026-11-24")
        );
        let off = Schedule::parse("OFF", 0, 6).unwrap();
        assert_eq!(off.due_period(at(2026, 11, 24, 12), true), None);
        assert_eq!(off.worker_period(at(2026, 11, 24, 12), true), None);
        assert_eq!(
            s.worker_period(at(2026, 11, 24, 12), false).as_deref(),
            Some("worker:2026-11-24")
        );
    }

    #[test]
    fn bad_values_name_their_field() {
        assert_eq!(
            Schedule::parse("hourly", 0, 0).unwrap_err().field,
            "digest_frequency"
        );
        assert_eq!(
            Schedule::parse("daily", 7, 0).unwrap_err().field,
            "digest_weekday"
        );
        assert_eq!(
            Schedule::parse("daily", 0, 24).unwrap_err().field,
            "digest_hour"
        );
        assert_eq!(
            Schedule::parse("daily", -1, 0).unwrap_err().field,
            "digest_weekday"
        );
    }
}
