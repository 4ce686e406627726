//! Live matches in the service: an in-memory matcher index over active listings, and the
//! `listing_match` rows it keeps up to date one changed listing at a time.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use entity::{account, listing, listing_match};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use crate::domain::introduction::Status;
use crate::domain::listing::Kind;
use crate::error::AppResult;
use crate::matching::reciprocity::{MemberBalance, fairness_factor};
use crate::matching::{Index, Item, Match, Side, Vocabulary, is_strong};

/// How many matches are kept per changed listing (from its own point of view).
pub const PER_LISTING: usize = 20;

/// The matcher index shared by all requests. Scoring is synchronous and fast (well under a
/// millisecond per listing), so a plain lock held only around index work is enough.
#[derive(Clone)]
pub struct MatchIndex(Arc<RwLock<Index>>);

impl MatchIndex {
    /// An index with the shipped vocabulary and nothing in it.
    pub fn empty() -> Self {
        Self(Arc::new(RwLock::new(Index::new(Arc::new(
            Vocabulary::builtin(),
        )))))
    }

    /// Builds the index from every active listing in the database.
    pub async fn load(db: &impl ConnectionTrait) -> AppResult<Self> {
        let active = listing::Entity::find()
            .filter(listing::Column::DeletedAt.is_null())
            .filter(listing::Column::Paused.eq(false))
            .all(db)
            .await?;
        let (offers, wants): (Vec<_>, Vec<_>) =
            active.iter().partition(|l| l.kind == Kind::Offer.as_str());
        let index = Index::build(
            Arc::new(Vocabulary::builtin()),
            offers.into_iter().map(item_of).collect(),
            wants.into_iter().map(item_of).collect(),
        );
        Ok(Self(Arc::new(RwLock::new(index))))
    }

    /// Puts `l` in the index (or takes it out if paused or deleted) and returns its matches.
    fn update(&self, l: &listing::Model) -> Vec<Match> {
        // A panic while holding the lock cannot leave the index half-updated in a way that
        // matters more than refusing all matching, so a poisoned lock is simply taken over.
        let mut index = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let side = side_of(l);
        let id = l.id.to_string();
        index.remove(side, &id);
        if l.deleted_at.is_some() || l.paused {
            return Vec::new();
        }
        index.insert(side, item_of(l));
        index
            .matches_for(side, &id, PER_LISTING)
            .unwrap_or_default()
    }
}

impl MatchIndex {
    /// Puts the index entry for `l` back to `l`'s state after a failed database write.
    pub fn restore(&self, l: &listing::Model) {
        self.update(l);
    }
}

fn side_of(l: &listing::Model) -> Side {
    if l.kind == Kind::Offer.as_str() {
        Side::Offer
    } else {
        Side::Want
    }
}

fn item_of(l: &listing::Model) -> Item {
    Item {
        id: l.id.to_string(),
        member: l.member_id.to_string(),
        text: l.text.clone(),
        category: l.category.clone(),
        community: Some(l.community_id.to_string()),
    }
}

/// Re-scores one listing that was created, edited, paused, resumed or deleted, and stores
/// its matches: pairs that still hold keep the time they were first found.
pub async fn refresh(
    db: &impl ConnectionTrait,
    index: &MatchIndex,
    l: &listing::Model,
) -> AppResult<()> {
    let found = index.update(l);
    let column = match side_of(l) {
        Side::Offer => listing_match::Column::OfferId,
        Side::Want => listing_match::Column::WantId,
    };
    let existing = listing_match::Entity::find()
        .filter(column.eq(l.id))
        .all(db)
        .await?;
    // Wants whose stored matches may change rank: their strong flags are settled below.
    let mut wants: HashSet<i32> = existing.iter().map(|m| m.want_id).collect();
    wants.extend(found.iter().filter_map(|m| m.want.parse::<i32>().ok()));
    let mut existing: HashMap<(i32, i32), listing_match::Model> = existing
        .into_iter()
        .map(|m| ((m.offer_id, m.want_id), m))
        .collect();
    let now = super::now();
    for m in found {
        let (Some(offer_id), Some(want_id), Some(offer_member), Some(want_member)) = (
            m.offer.parse::<i32>().ok(),
            m.want.parse::<i32>().ok(),
            m.offer_member.parse::<i32>().ok(),
            m.want_member.parse::<i32>().ok(),
        ) else {
            continue;
        };
        let why: String = m.why.chars().take(500).collect();
        match existing.remove(&(offer_id, want_id)) {
            Some(row) => {
                let mut active: listing_match::ActiveModel = row.into();
                active.score = Set(f64::from(m.score));
                active.strong = Set(m.strong);
                active.why = Set(why);
                active.updated_at = Set(now);
                active.update(db).await?;
            }
            None => {
                listing_match::ActiveModel {
                    offer_id: Set(offer_id),
                    want_id: Set(want_id),
                    offer_member_id: Set(offer_member),
                    want_member_id: Set(want_member),
                    community_id: Set(l.community_id),
                    score: Set(f64::from(m.score)),
                    strong: Set(m.strong),
                    why: Set(why),
                    found_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    let gone: Vec<i32> = existing.into_values().map(|row| row.id).collect();
    if !gone.is_empty() {
        listing_match::Entity::delete_many()
            .filter(listing_match::Column::Id.is_in(gone))
            .exec(db)
            .await?;
    }
    settle_strong(db, &wants).await
}

/// Settles which stored matches of `wants` are strong ([`is_strong`] against each want's best
/// stored match): a new, better offer demotes the others, and removing the best promotes them.
async fn settle_strong(db: &impl ConnectionTrait, wants: &HashSet<i32>) -> AppResult<()> {
    if wants.is_empty() {
        return Ok(());
    }
    let rows = listing_match::Entity::find()
        .filter(listing_match::Column::WantId.is_in(wants.iter().copied()))
        .all(db)
        .await?;
    let mut best: HashMap<i32, f64> = HashMap::new();
    for r in &rows {
        let b = best.entry(r.want_id).or_insert(r.score);
        *b = b.max(r.score);
    }
    for r in rows {
        // Scores are stored from f32, so the round trip is exact.
        let best = best.get(&r.want_id).copied().unwrap_or(r.score);
        let strong = is_strong(r.score as f32, best as f32);
        if strong != r.strong {
            let mut active: listing_match::ActiveModel = r.into();
            active.strong = Set(strong);
            active.update(db).await?;
        }
    }
    Ok(())
}

/// One match as a member sees it: their listing, the other member's listing, and why.
#[derive(Debug, Clone)]
pub struct MemberMatch {
    pub other_member_id: i32,
    pub other_name: String,
    pub my_listing_id: i32,
    pub my_text: String,
    pub their_listing_id: i32,
    pub their_text: String,
    pub score: f64,
    pub strong: bool,
    pub why: String,
    /// The other member can also help me (or I them): a two-way swap.
    pub swap: bool,
    pub found_at: chrono::DateTime<chrono::Utc>,
    /// The introduction already made or asked for over this match, with its status in words.
    pub introduction: Option<(i32, &'static str)>,
}

/// A member's matches in both directions, strongest and swaps first.
#[derive(Debug, Clone, Default)]
pub struct MemberMatches {
    /// Others' offers that meet my wants.
    pub could_help_me: Vec<MemberMatch>,
    /// My offers that meet others' wants.
    pub i_could_help: Vec<MemberMatch>,
}

/// Loads `member_id`'s stored matches with texts and names (a few queries, whatever the count).
/// Introduction statuses are read as stored: callers showing a page expire due ones first.
pub async fn for_member(db: &impl ConnectionTrait, member_id: i32) -> AppResult<MemberMatches> {
    let rows = listing_match::Entity::find()
        .filter(
            Condition::any()
                .add(listing_match::Column::OfferMemberId.eq(member_id))
                .add(listing_match::Column::WantMemberId.eq(member_id)),
        )
        .all(db)
        .await?;
    let listing_ids: HashSet<i32> = rows.iter().flat_map(|r| [r.offer_id, r.want_id]).collect();
    let member_ids: HashSet<i32> = rows
        .iter()
        .flat_map(|r| [r.offer_member_id, r.want_member_id])
        .collect();
    let texts = super::listings::texts(db, listing_ids).await?;
    let names = super::members::names(db, member_ids).await?;
    let introductions: HashMap<(i32, i32), (i32, &'static str)> =
        super::introductions::stored_of_member(db, member_id)
            .await?
            .into_iter()
            .rev() // oldest first, so the newest introduction for a pair wins
            .filter_map(|i| {
                let status = Status::parse(&i.status).ok()?;
                Some(((i.offer_id, i.want_id), (i.id, status.label())))
            })
            .collect();
    let helpers: HashSet<i32> = rows
        .iter()
        .filter(|r| r.want_member_id == member_id)
        .map(|r| r.offer_member_id)
        .collect();
    let helped: HashSet<i32> = rows
        .iter()
        .filter(|r| r.offer_member_id == member_id)
        .map(|r| r.want_member_id)
        .collect();
    let mut result = MemberMatches::default();
    for r in rows {
        let i_give = r.offer_member_id == member_id;
        let (other, mine, theirs) = if i_give {
            (r.want_member_id, r.offer_id, r.want_id)
        } else {
            (r.offer_member_id, r.want_id, r.offer_id)
        };
        let entry = MemberMatch {
            other_member_id: other,
            other_name: names.get(&other).cloned().unwrap_or_default(),
            my_listing_id: mine,
            my_text: texts.get(&mine).cloned().unwrap_or_default(),
            their_listing_id: theirs,
            their_text: texts.get(&theirs).cloned().unwrap_or_default(),
            score: r.score,
            strong: r.strong,
            why: r.why,
            swap: helpers.contains(&other) && helped.contains(&other),
            found_at: r.found_at,
            introduction: introductions.get(&(r.offer_id, r.want_id)).copied(),
        };
        if i_give {
            result.i_could_help.push(entry);
        } else {
            result.could_help_me.push(entry);
        }
    }
    // Among helpers, those who have received more than they have given come first at equal
    // quality: timebanking works when everyone gets to give.
    let balances = net_balances(db, names.keys().copied()).await?;
    let fairness = |m: &MemberMatch| {
        let net_hours = balances.get(&m.other_member_id).copied().unwrap_or(0) as f32 / 60.0;
        let balance = MemberBalance {
            given: net_hours.max(0.0),
            received: (-net_hours).max(0.0),
        };
        m.score * f64::from(fairness_factor(Some(&balance)))
    };
    result.could_help_me.sort_by(|a, b| {
        (b.swap, b.strong)
            .cmp(&(a.swap, a.strong))
            .then(fairness(b).total_cmp(&fairness(a)))
    });
    result.i_could_help.sort_by(|a, b| {
        (b.swap, b.strong)
            .cmp(&(a.swap, a.strong))
            .then(b.score.total_cmp(&a.score))
    });
    Ok(result)
}

/// Each member's net timebank balance in minutes (given minus received), over all communities.
async fn net_balances(
    db: &impl ConnectionTrait,
    member_ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, i64>> {
    let mut net = HashMap::new();
    for a in account::Entity::find()
        .filter(account::Column::MemberId.is_in(member_ids))
        .all(db)
        .await?
    {
        if let Some(member) = a.member_id {
            *net.entry(member).or_insert(0) += a.balance_minutes;
        }
    }
    Ok(net)
}
