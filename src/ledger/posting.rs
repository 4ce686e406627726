//! Double-entry postings: every posting's entries sum to zero, and applying one never takes
//! a member's balance outside the community's limits.

use std::collections::BTreeMap;

/// Whose account it is: a member's, or the community's own (which pays for group sessions
/// and is exempt from limits, since its balance mirrors everyone else's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Member,
    Community,
}

/// A community's balance limits for member accounts, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub min: i64,
    pub max: i64,
}

impl Limits {
    /// −20 h and +100 h: room to receive before giving, and a cap on hoarding.
    pub const DEFAULT: Limits = Limits {
        min: -20 * 60,
        max: 100 * 60,
    };
}

/// One line of a posting: minutes into (positive) or out of (negative) an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub account: i32,
    pub minutes: i64,
}

/// A balanced set of entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    entries: Vec<Entry>,
}

/// Why a posting cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("a posting needs entries that add up to zero")]
    Unbalanced,
    #[error(
        "account {account} would go to {would_be} minutes, below the community's minimum of {limit}"
    )]
    BelowMinimum {
        account: i32,
        would_be: i64,
        limit: i64,
    },
    #[error(
        "account {account} would go to {would_be} minutes, above the community's maximum of {limit}"
    )]
    AboveMaximum {
        account: i32,
        would_be: i64,
        limit: i64,
    },
    #[error("account {0} is not part of this posting's community")]
    UnknownAccount(i32),
}

impl Posting {
    /// Checks that there are entries, none is zero, and together they sum to zero.
    pub fn new(entries: Vec<Entry>) -> Result<Self, LedgerError> {
        let sum: i64 = entries.iter().map(|e| e.minutes).sum();
        if entries.len() < 2 || sum != 0 || entries.iter().any(|e| e.minutes == 0) {
            return Err(LedgerError::Unbalanced);
        }
        Ok(Self { entries })
    }

    /// The giver earns what the receiver spends.
    pub fn transfer(from: i32, to: i32, minutes: i64) -> Result<Self, LedgerError> {
        Self::new(vec![
            Entry {
                account: from,
                minutes: -minutes,
            },
            Entry {
                account: to,
                minutes,
            },
        ])
    }

    /// The exact opposite of `self`, used to correct a mistake without editing history.
    pub fn reversed(&self) -> Self {
        Self {
            entries: self
                .entries
                .iter()
                .map(|e| Entry {
                    account: e.account,
                    minutes: -e.minutes,
                })
                .collect(),
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Account ids touched, ascending: the order in which to lock them.
    pub fn accounts(&self) -> Vec<i32> {
        let mut ids: Vec<i32> = self.entries.iter().map(|e| e.account).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Applies `posting` to the current balances of the accounts it touches and returns their
/// new balances, or the first limit it would break. Only movements that worsen a balance are
/// refused, so a member already past a limit (after limits were tightened) can still recover.
pub fn apply(
    posting: &Posting,
    balances: &BTreeMap<i32, (AccountKind, i64)>,
    limits: Limits,
) -> Result<BTreeMap<i32, i64>, LedgerError> {
    let mut after: BTreeMap<i32, i64> = BTreeMap::new();
    for entry in posting.entries() {
        let (_, before) = balances
            .get(&entry.account)
            .ok_or(LedgerError::UnknownAccount(entry.account))?;
        *after.entry(entry.account).or_insert(*before) += entry.minutes;
    }
    for (&account, &would_be) in &after {
        let (kind, before) = balances[&account];
        if kind == AccountKind::Community {
            continue;
        }
        if would_be < limits.min && would_be < before {
            return Err(LedgerError::BelowMinimum {
                account,
                would_be,
                limit: limits.min,
            });
        }
        if would_be > limits.max && would_be > before {
            return Err(LedgerError::AboveMaximum {
                account,
                would_be,
                limit: limits.max,
            });
        }
    }
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn balances(pairs: &[(i32, AccountKind, i64)]) -> BTreeMap<i32, (AccountKind, i64)> {
        pairs.iter().map(|&(a, k, b)| (a, (k, b))).collect()
    }

    #[test]
    fn postings_must_balance() {
        assert!(
            Posting::new(vec![Entry {
                account: 1,
                minutes: 60
            }])
            .is_err()
        );
        assert!(
            Posting::new(vec![
                Entry {
                    account: 1,
                    minutes: 60
                },
                Entry {
                    account: 2,
                    minutes: -59
                }
            ])
            .is_err()
        );
        let p = Posting::transfer(1, 2, 60).unwrap();
        assert_eq!(p.entries().iter().map(|e| e.minutes).sum::<i64>(), 0);
        assert_eq!(
            p.reversed().entries()[0],
            Entry {
                account: 1,
                minutes: 60
            }
        );
        assert_eq!(p.accounts(), vec![1, 2]);
    }

    #[test]
    fn a_posting_past_a_limit_is_refused() {
        let limits = Limits {
            min: -120,
            max: 600,
        };
        let b = balances(&[(1, AccountKind::Member, -100), (2, AccountKind::Member, 0)]);
        let err = apply(&Posting::transfer(1, 2, 30).unwrap(), &b, limits).unwrap_err();
        assert_eq!(
            err,
            LedgerError::BelowMinimum {
                account: 1,
                would_be: -130,
                limit: -120
            }
        );
        let ok = apply(&Posting::transfer(1, 2, 20).unwrap(), &b, limits).unwrap();
        assert_eq!(ok[&1], -120);
        assert_eq!(ok[&2], 20);
        let b = balances(&[(1, AccountKind::Member, 0), (2, AccountKind::Member, 590)]);
        assert!(matches!(
            apply(&Posting::transfer(1, 2, 20).unwrap(), &b, limits),
            Err(LedgerError::AboveMaximum { .. })
        ));
    }

    #[test]
    fn community_accounts_have_no_limits_and_recovery_is_allowed() {
        let limits = Limits { min: -60, max: 60 };
        let b = balances(&[
            (1, AccountKind::Community, -1000),
            (2, AccountKind::Member, -500),
        ]);
        // The member is far below the minimum already; earning time moves them back up.
        let after = apply(&Posting::transfer(1, 2, 30).unwrap(), &b, limits).unwrap();
        assert_eq!(after[&1], -1030);
        assert_eq!(after[&2], -470);
    }

    #[test]
    fn unknown_accounts_are_reported() {
        let b = balances(&[(1, AccountKind::Member, 0)]);
        let err = apply(&Posting::transfer(1, 9, 10).unwrap(), &b, Limits::DEFAULT).unwrap_err();
        assert_eq!(err, LedgerError::UnknownAccount(9));
    }
}
