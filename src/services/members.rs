//! Creating members, logging in, and loading who is asking (the [`Viewer`]).

use entity::{community, member, membership};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::auth::password;
use crate::domain::member::{DetailsPatch, Email, MemberDraft, Role};
use crate::error::{AppError, AppResult};

/// A member's place in one community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub community_id: i32,
    pub slug: String,
    pub name: String,
    pub role: Role,
}

/// The logged-in member and the communities they belong to.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub member: member::Model,
    /// Ordered by when they joined; the first is their home community.
    pub places: Vec<Place>,
}

impl Viewer {
    pub fn id(&self) -> i32 {
        self.member.id
    }

    /// Ids of every community the viewer belongs to.
    pub fn community_ids(&self) -> Vec<i32> {
        self.places.iter().map(|p| p.community_id).collect()
    }

    /// The viewer's role in `community_id`, if they belong to it.
    pub fn role_in(&self, community_id: i32) -> Option<Role> {
        self.places
            .iter()
            .find(|p| p.community_id == community_id)
            .map(|p| p.role)
    }

    /// Whether the viewer works for (or administers) `community_id`.
    pub fn is_staff_in(&self, community_id: i32) -> bool {
        self.role_in(community_id).is_some_and(Role::is_staff)
    }

    /// Whether the viewer is an admin anywhere.
    pub fn is_admin(&self) -> bool {
        self.places.iter().any(|p| p.role == Role::Admin)
    }

    /// Whether the viewer is staff anywhere.
    pub fn is_staff(&self) -> bool {
        self.places.iter().any(|p| p.role.is_staff())
    }

    /// The community new listings go to unless another is named.
    pub fn home(&self) -> Option<&Place> {
        self.places.first()
    }

    /// The viewer's place in the community with this slug, or a 403/422 saying why not.
    pub fn place_by_slug(&self, slug: &str) -> AppResult<&Place> {
        self.places
            .iter()
            .find(|p| p.slug == slug.trim())
            .ok_or_else(|| {
                AppError::invalid(
                    "community",
                    format!("you do not belong to a community `{}`", slug.trim()),
                )
            })
    }
}

/// Stores a member and their first membership in one transaction; a taken email is a 409.
pub async fn create<C>(
    db: &C,
    draft: MemberDraft,
    community_id: i32,
    role: Role,
) -> AppResult<member::Model>
where
    C: ConnectionTrait + TransactionTrait,
{
    if let Some(email) = &draft.email
        && find_by_email(db, email).await?.is_some()
    {
        return Err(AppError::Conflict(format!(
            "{} already has an account; log in instead",
            email.as_str()
        )));
    }
    let password_hash = match draft.password {
        Some(p) => Some(password::hash(p.expose().to_string()).await?),
        None => None,
    };
    let now = super::now();
    let txn = db.begin().await?;
    let member = member::ActiveModel {
        display_name: Set(draft.display_name),
        email: Set(draft.email.map(Email::into_inner)),
        phone: Set(draft.phone),
        password_hash: Set(password_hash),
        contact_preference: Set(draft.contact_preference.as_str().to_string()),
        created_by: Set(draft.created_by),
        consent_at: Set(Some(now)),
        consent_method: Set(Some(draft.consent_method.as_str().to_string())),
        needs_second_approval: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    join(&txn, member.id, community_id, role).await?;
    txn.commit().await?;
    Ok(member)
}

/// Adds `member_id` to a community with `role`, or changes their role there.
pub async fn join(
    db: &impl ConnectionTrait,
    member_id: i32,
    community_id: i32,
    role: Role,
) -> AppResult<()> {
    let existing = membership::Entity::find_by_id((member_id, community_id))
        .one(db)
        .await?;
    match existing {
        Some(m) => {
            let mut active: membership::ActiveModel = m.into();
            active.role = Set(role.as_str().to_string());
            active.update(db).await?;
        }
        None => {
            membership::ActiveModel {
                member_id: Set(member_id),
                community_id: Set(community_id),
                role: Set(role.as_str().to_string()),
                created_at: Set(super::now()),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The member with this (already lower-cased) email.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> AppResult<Option<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

/// The member whose email and password match, or `None` (never saying which was wrong).
pub async fn authenticate(
    db: &impl ConnectionTrait,
    email: &str,
    password_text: &str,
) -> AppResult<Option<member::Model>> {
    let found = match Email::parse(email) {
        Ok(email) => find_by_email(db, &email).await?,
        Err(_) => None,
    };
    let stored = found.as_ref().and_then(|m| m.password_hash.clone());
    let ok = password::verify(password_text.to_string(), stored).await?;
    Ok(found.filter(|_| ok))
}

/// Loads a member with their communities; `None` if the member no longer exists.
pub async fn load_viewer(db: &impl ConnectionTrait, member_id: i32) -> AppResult<Option<Viewer>> {
    let Some(member) = member::Entity::find_by_id(member_id).one(db).await? else {
        return Ok(None);
    };
    let places = places_of(db, member_id).await?;
    Ok(Some(Viewer { member, places }))
}

/// The communities `member_id` belongs to, oldest membership first.
pub async fn places_of(db: &impl ConnectionTrait, member_id: i32) -> AppResult<Vec<Place>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::MemberId.eq(member_id))
        .order_by_asc(membership::Column::CreatedAt)
        .order_by_asc(membership::Column::CommunityId)
        .find_also_related(community::Entity)
        .all(db)
        .await?;
    rows.into_iter()
        .filter_map(|(m, c)| c.map(|c| (m, c)))
        .map(|(m, c)| {
            Ok(Place {
                community_id: c.id,
                slug: c.slug,
                name: c.name,
                role: Role::parse(&m.role).map_err(|e| AppError::Internal(e.to_string()))?,
            })
        })
        .collect()
}

/// A member `viewer` may look at: someone sharing a community with them. Anyone else is
/// reported as not found, so ids cannot be probed.
pub async fn visible_member(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
) -> AppResult<(member::Model, Vec<Place>)> {
    let member = member::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    let places = places_of(db, member_id).await?;
    let shared = places
        .iter()
        .any(|p| viewer.role_in(p.community_id).is_some());
    if !shared {
        return Err(AppError::NotFound("member"));
    }
    Ok((member, places))
}

/// Member `member_id` of `place`'s community, for a `viewer` who works there (to act on their
/// behalf); 403 for anyone else, 422 when the member is not in that community.
pub async fn member_in_staff_community(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member_id: i32,
    place: &Place,
) -> AppResult<(member::Model, Vec<Place>)> {
    if !viewer.is_staff_in(place.community_id) {
        return Err(AppError::forbidden(
            "only workers of this community can act for another member",
        ));
    }
    let (member, places) = visible_member(db, viewer, member_id)
        .await
        .map_err(|_| AppError::invalid("member", format!("there is no member {member_id}")))?;
    if !places.iter().any(|p| p.community_id == place.community_id) {
        return Err(AppError::invalid(
            "member",
            format!("{} is not part of {}", member.display_name, place.name),
        ));
    }
    Ok((member, places))
}

/// Everyone in the communities `viewer` administers (admins look after their own communities'
/// mail, not other communities').
pub async fn administered(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<Vec<i32>> {
    let communities: Vec<i32> = viewer
        .places
        .iter()
        .filter(|p| p.role == Role::Admin)
        .map(|p| p.community_id)
        .collect();
    let mut ids: Vec<i32> = membership::Entity::find()
        .filter(membership::Column::CommunityId.is_in(communities))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.member_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Display names of these members, in one query.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<std::collections::HashMap<i32, String>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(member::Entity::find()
        .filter(member::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.display_name))
        .collect())
}

/// The display name of `member_id` (empty if the member is gone).
pub async fn display_name(db: &impl ConnectionTrait, member_id: i32) -> AppResult<String> {
    Ok(member::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .map(|m| m.display_name)
        .unwrap_or_default())
}

/// Applies a member's changes to their own details.
pub async fn update_details(
    db: &impl ConnectionTrait,
    member: member::Model,
    patch: DetailsPatch,
) -> AppResult<member::Model> {
    let mut active: member::ActiveModel = member.into();
    if let Some(name) = patch.display_name {
        active.display_name = Set(name);
    }
    if let Some(phone) = patch.phone {
        active.phone = Set(phone);
    }
    if let Some(preference) = patch.contact_preference {
        active.contact_preference = Set(preference.as_str().to_string());
    }
    Ok(active.update(db).await?)
}

/// Everyone in `community_id`, by display name: (id, display name).
pub async fn in_community(
    db: &impl ConnectionTrait,
    community_id: i32,
) -> AppResult<Vec<(i32, String)>> {
    Ok(member::Entity::find()
        .inner_join(membership::Entity)
        .filter(membership::Column::CommunityId.eq(community_id))
        .order_by_asc(member::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.display_name))
        .collect())
}

/// A random password of 20 hex characters (80 bits), for accounts made for someone else.
pub fn generate_password() -> String {
    super::tokens::random_secret()[..20].to_string()
}

#[cfg(test)]
mod tests {
    use super::generate_password;
    use crate::domain::member::Password;

    #[test]
    fn generated_passwords_meet_the_rules_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert!(Password::parse(&a).is_ok());
        assert_ne!(a, b);
    }
}
