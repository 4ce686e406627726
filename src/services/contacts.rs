//! Contact details between members: shared only through an introduction both have accepted,
//! and only the details each chose to share.

use entity::{introduction, member};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::domain::introduction::Status;
use crate::domain::member::ContactPreference;
use crate::error::AppResult;

/// The details one member lets another see.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ContactCard {
    pub member_id: i32,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The member chose "only through my worker": the worker arranges the meeting.
    pub through_worker: bool,
}

/// What `owner`'s contact preference allows to be shared.
pub fn card_of(owner: &member::Model) -> ContactCard {
    let preference = ContactPreference::parse(&owner.contact_preference)
        .unwrap_or(ContactPreference::WorkerOnly);
    let (email, phone) = match preference {
        ContactPreference::Email => (owner.email.clone(), None),
        ContactPreference::Phone => (None, owner.phone.clone()),
        ContactPreference::EmailAndPhone => (owner.email.clone(), owner.phone.clone()),
        ContactPreference::WorkerOnly => (None, None),
    };
    ContactCard {
        member_id: owner.id,
        display_name: owner.display_name.clone(),
        through_worker: email.is_none() && phone.is_none(),
        email,
        phone,
    }
}

/// The other member's card for `viewer_id` in `intro`: only for the two members introduced,
/// only once both have accepted.
pub async fn shared_with(
    db: &impl ConnectionTrait,
    viewer_id: i32,
    intro: &introduction::Model,
    status: Status,
) -> AppResult<Option<ContactCard>> {
    let other = if viewer_id == intro.giver_id {
        intro.receiver_id
    } else if viewer_id == intro.receiver_id {
        intro.giver_id
    } else {
        return Ok(None);
    };
    if !status.shares_contacts() {
        return Ok(None);
    }
    Ok(member::Entity::find_by_id(other)
        .one(db)
        .await?
        .as_ref()
        .map(card_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(preference: &str) -> member::Model {
        member::Model {
            id: 7,
            display_name: "Ann".into(),
            email: Some("ann@example.org".into()),
            phone: Some("0141 496 0000".into()),
            password_hash: None,
            contact_preference: preference.into(),
            created_by: None,
            consent_at: None,
            consent_method: None,
            needs_second_approval: false,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn each_preference_shares_only_what_it_names() {
        let email = card_of(&member("email"));
        assert_eq!(
            (email.email.is_some(), email.phone.is_some()),
            (true, false)
        );
        let phone = card_of(&member("phone"));
        assert_eq!(
            (phone.email.is_some(), phone.phone.is_some()),
            (false, true)
        );
        let both = card_of(&member("email_and_phone"));
        assert_eq!((both.email.is_some(), both.phone.is_some()), (true, true));
        let worker = card_of(&member("worker_only"));
        assert_eq!((worker.email, worker.phone), (None, None));
        assert!(worker.through_worker);
    }

    #[test]
    fn a_phone_preference_without_a_phone_means_through_the_worker() {
        let mut m = member("phone");
        m.phone = None;
        assert!(card_of(&m).through_worker);
    }
}
