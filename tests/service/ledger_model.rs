//! Model-based property test: random sequences of exchanges, disputes, group sessions,
//! reversals and limit-breaking attempts run against the real service layer and a simple
//! in-memory model; after every step the books must balance and agree with the model.

use std::collections::HashMap;

use kith::domain::community::CommunityDraft;
use kith::domain::exchange::{ActivityDraft, ExchangeDraft};
use kith::domain::member::{ConsentMethod, ContactPreference, MemberDraft, Role};
use kith::error::AppError;
use kith::services::members::Viewer;
use kith::services::{communities, exchanges, ledger, members};
use proptest::prelude::*;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

const RESIDENTS: usize = 4;
const MIN: i64 = -120;
const MAX: i64 = 120;

#[derive(Debug, Clone)]
enum Op {
    /// `giver` records, `receiver` confirms.
    Exchange {
        giver: usize,
        receiver: usize,
        minutes: i64,
    },
    /// Recorded, disputed, then a confirmation is attempted (and must be refused).
    Disputed {
        giver: usize,
        receiver: usize,
        minutes: i64,
    },
    /// The worker reverses one earlier posting (possibly a reversal, possibly twice).
    Reverse { pick: usize },
    /// A resident runs a group session for another.
    Session { host: usize, minutes: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let person = 0..RESIDENTS;
    prop_oneof![
        4 => (person.clone(), person.clone(), 1i64..150).prop_map(|(giver, receiver, minutes)| Op::Exchange { giver, receiver, minutes }),
        1 => (person.clone(), person.clone(), 1i64..60).prop_map(|(giver, receiver, minutes)| Op::Disputed { giver, receiver, minutes }),
        2 => (0usize..64).prop_map(|pick| Op::Reverse { pick }),
        1 => (person, 1i64..150).prop_map(|(host, minutes)| Op::Session { host, minutes }),
    ]
}

/// What the ledger should look like.
#[derive(Default)]
struct Model {
    /// Keyed by resident index; `RESIDENTS` is the community account.
    balances: HashMap<usize, i64>,
    postings: Vec<ModelPosting>,
}

/// A posting as the model remembers it.
#[derive(Clone)]
struct ModelPosting {
    id: i32,
    entries: Vec<(usize, i64)>,
    is_reversal: bool,
    reversed: bool,
}

impl Model {
    /// Applies entries if no member account would move past a limit in the wrong direction.
    fn try_apply(&mut self, entries: &[(usize, i64)]) -> bool {
        let mut after = self.balances.clone();
        for &(who, minutes) in entries {
            *after.entry(who).or_insert(0) += minutes;
        }
        let ok = entries.iter().all(|&(who, _)| {
            let (before, now) = (self.balances.get(&who).copied().unwrap_or(0), after[&who]);
            who == RESIDENTS || !((now < MIN && now < before) || (now > MAX && now > before))
        });
        if ok {
            self.balances = after;
        }
        ok
    }
}

struct World {
    db: DatabaseConnection,
    community: i32,
    worker: Viewer,
    residents: Vec<Viewer>,
    /// Resident index by member id; the community account maps to `RESIDENTS`.
    index_of: HashMap<i32, usize>,
}

async fn world(db: &DatabaseConnection, case: usize) -> World {
    let draft = CommunityDraft::parse(&format!("model-{case}"), "Model", None).unwrap();
    let community = communities::create(db, draft).await.unwrap().id;
    communities::set_limits(db, community, MIN, MAX)
        .await
        .unwrap();
    let person = |name: String| MemberDraft {
        display_name: name,
        email: None,
        phone: None,
        password: None,
        contact_preference: ContactPreference::WorkerOnly,
        consent_method: ConsentMethod::InPerson,
        created_by: None,
    };
    let worker_id = members::create(db, person("Worker".into()), community, Role::Worker)
        .await
        .unwrap()
        .id;
    let worker = members::load_viewer(db, worker_id).await.unwrap().unwrap();
    let mut residents = Vec::new();
    let mut index_of = HashMap::new();
    for i in 0..RESIDENTS {
        let id = members::create(db, person(format!("R{i}")), community, Role::Resident)
            .await
            .unwrap()
            .id;
        index_of.insert(id, i);
        residents.push(members::load_viewer(db, id).await.unwrap().unwrap());
    }
    World {
        db: db.clone(),
        community,
        worker,
        residents,
        index_of,
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

impl World {
    async fn txn<T>(
        &self,
        f: impl AsyncFnOnce(
            &sea_orm::DatabaseTransaction,
            &entity::community::Model,
        ) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let txn = self.db.begin().await?;
        let community = ledger::lock_community(&txn, self.community).await?;
        let value = f(&txn, &community).await?;
        txn.commit().await?;
        Ok(value)
    }

    async fn record(&self, giver: usize, receiver: usize, minutes: i64) -> i32 {
        let draft = ExchangeDraft::parse(
            self.residents[giver].id(),
            self.residents[receiver].id(),
            minutes,
            &today().to_string(),
            "model",
            today(),
        )
        .unwrap();
        let viewer = &self.residents[giver];
        self.txn(async |txn, c| exchanges::record(txn, c, viewer, draft).await)
            .await
            .unwrap()
            .id
    }

    /// The posting's entries keyed by resident index (community account = `RESIDENTS`).
    async fn entries(&self, posting_id: i32) -> Vec<(usize, i64)> {
        let (_, p) = ledger::load_posting(&self.db, posting_id).await.unwrap();
        let accounts: HashMap<i32, Option<i32>> = entity::account::Entity::find()
            .filter(entity::account::Column::CommunityId.eq(self.community))
            .all(&self.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.id, a.member_id))
            .collect();
        p.entries()
            .iter()
            .map(|e| {
                let who = accounts[&e.account].map_or(RESIDENTS, |m| self.index_of[&m]);
                (who, e.minutes)
            })
            .collect()
    }

    /// Balances from the database, by resident index.
    async fn balances(&self) -> HashMap<usize, i64> {
        entity::account::Entity::find()
            .filter(entity::account::Column::CommunityId.eq(self.community))
            .all(&self.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| {
                (
                    a.member_id.map_or(RESIDENTS, |m| self.index_of[&m]),
                    a.balance_minutes,
                )
            })
            .collect()
    }
}

fn refused_by_limit(result: &Result<impl std::fmt::Debug, AppError>) -> bool {
    matches!(result, Err(AppError::Validation(e)) if e.field == "minutes")
}

async fn run_case(db: &DatabaseConnection, case: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let w = world(db, case).await;
    let mut model = Model::default();
    for op in ops {
        match op {
            Op::Exchange {
                giver,
                receiver,
                minutes,
            } if giver != receiver => {
                let id = w.record(giver, receiver, minutes).await;
                let viewer = &w.residents[receiver];
                let result = w
                    .txn(async |txn, c| exchanges::confirm(txn, c, viewer, id).await)
                    .await;
                let expected = model.try_apply(&[(receiver, -minutes), (giver, minutes)]);
                prop_assert_eq!(result.is_ok(), expected, "exchange {:?}", result);
                if let Ok(e) = result {
                    model.postings.push(ModelPosting {
                        id: e.posting_id.unwrap(),
                        entries: vec![(receiver, -minutes), (giver, minutes)],
                        is_reversal: false,
                        reversed: false,
                    });
                } else {
                    prop_assert!(refused_by_limit(&result));
                }
            }
            Op::Disputed {
                giver,
                receiver,
                minutes,
            } if giver != receiver => {
                let id = w.record(giver, receiver, minutes).await;
                let viewer = &w.residents[receiver];
                w.txn(async |txn, c| {
                    exchanges::dispute(txn, c, viewer, id, "did not happen").await
                })
                .await
                .unwrap();
                let again = w
                    .txn(async |txn, c| exchanges::confirm(txn, c, viewer, id).await)
                    .await;
                prop_assert!(matches!(again, Err(AppError::Conflict(_))));
            }
            Op::Reverse { pick } if !model.postings.is_empty() => {
                let i = pick % model.postings.len();
                let ModelPosting {
                    id: posting_id,
                    entries,
                    is_reversal,
                    reversed,
                } = model.postings[i].clone();
                let worker = &w.worker;
                let result = w
                    .txn(async |txn, c| {
                        exchanges::reverse(txn, c, worker, posting_id, "correction").await
                    })
                    .await;
                if is_reversal {
                    prop_assert!(matches!(result, Err(AppError::Validation(_))));
                } else if reversed {
                    prop_assert!(matches!(result, Err(AppError::Conflict(_))));
                } else {
                    let opposite: Vec<(usize, i64)> =
                        entries.iter().map(|&(who, m)| (who, -m)).collect();
                    let expected = model.try_apply(&opposite);
                    prop_assert_eq!(result.is_ok(), expected, "reversal {:?}", result);
                    if let Ok(p) = result {
                        model.postings[i].reversed = true;
                        prop_assert_eq!(w.entries(p.id).await.len(), opposite.len());
                        model.postings.push(ModelPosting {
                            id: p.id,
                            entries: opposite,
                            is_reversal: true,
                            reversed: false,
                        });
                    } else {
                        prop_assert!(refused_by_limit(&result));
                    }
                }
            }
            Op::Session { host, minutes } => {
                let attendee = (host + 1) % RESIDENTS;
                let draft = ActivityDraft::parse(
                    w.residents[host].id(),
                    "Session",
                    minutes,
                    &today().to_string(),
                    &[w.residents[attendee].id()],
                    today(),
                )
                .unwrap();
                let viewer = &w.residents[host];
                let result = w
                    .txn(async |txn, c| exchanges::record_activity(txn, c, viewer, draft).await)
                    .await;
                let entries = vec![(RESIDENTS, -minutes), (host, minutes)];
                let expected = model.try_apply(&entries);
                prop_assert_eq!(
                    result.is_ok(),
                    expected,
                    "session {:?}",
                    result.as_ref().map(|_| ())
                );
                if let Ok((a, _)) = result {
                    prop_assert_eq!(
                        w.entries(a.posting_id)
                            .await
                            .iter()
                            .map(|e| e.1)
                            .sum::<i64>(),
                        0
                    );
                    model.postings.push(ModelPosting {
                        id: a.posting_id,
                        entries,
                        is_reversal: false,
                        reversed: false,
                    });
                }
            }
            _ => continue,
        }
        // Invariants after every step.
        let stored = w.balances().await;
        prop_assert_eq!(stored.values().sum::<i64>(), 0, "the books must balance");
        for (&who, &balance) in &stored {
            prop_assert_eq!(
                balance,
                model.balances.get(&who).copied().unwrap_or(0),
                "service and model disagree on {}",
                who
            );
            if who != RESIDENTS {
                prop_assert!(
                    (MIN..=MAX).contains(&balance),
                    "balance {} outside limits",
                    balance
                );
            }
        }
        let (total, cached_vs_entries, _) =
            crate::ledger_concurrency::audit_community(&w.db, w.community).await;
        prop_assert_eq!(total, 0);
        prop_assert!(
            cached_vs_entries.iter().all(|(c, s)| c == s),
            "cached balance differs from its entries"
        );
    }
    Ok(())
}

/// Number of random sequences; `KITH_LEDGER_CASES` raises or lowers it.
fn cases() -> u32 {
    std::env::var("KITH_LEDGER_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

#[test]
fn ledger_matches_a_simple_model_under_random_operations() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let db = runtime.block_on(async {
        let (url, dir) = crate::harness::fresh_database().await;
        (kith::db::connect_and_migrate(&url).await.unwrap(), dir)
    });
    let case = std::sync::atomic::AtomicUsize::new(0);
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..24))| {
        let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        runtime.block_on(run_case(&db.0, n, ops))?;
    });
}
