//! JSON shapes the API returns; built from entities, never the entities themselves, so
//! nothing private leaks by accident when a column is added.

use chrono::{DateTime, Utc};
use entity::{community, listing, member};
use serde::Serialize;
use utoipa::ToSchema;

use crate::services::members::Place;

/// An offer or a want.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingView {
    pub id: i32,
    /// `offer` or `want`.
    pub kind: String,
    pub member: MemberRef,
    /// Slug of the community it belongs to.
    pub community: String,
    pub text: String,
    pub category: Option<String>,
    /// `in_person`, `online` or `either`.
    pub mode: String,
    pub availability: Option<String>,
    pub paused: bool,
    /// True when a worker wrote it on the member's behalf.
    pub added_by_worker: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who posted something: never more than id and display name.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberRef {
    pub id: i32,
    pub display_name: String,
}

impl ListingView {
    pub fn new(l: listing::Model, display_name: String, community_slug: String) -> Self {
        Self {
            id: l.id,
            kind: l.kind,
            member: MemberRef {
                id: l.member_id,
                display_name,
            },
            community: community_slug,
            text: l.text,
            category: l.category,
            mode: l.mode,
            availability: l.availability,
            paused: l.paused,
            added_by_worker: l.created_by.is_some_and(|by| by != l.member_id),
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

/// A community a member belongs to, with their role there.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceView {
    pub community: String,
    pub name: String,
    /// `resident`, `worker` or `admin`.
    pub role: String,
}

impl From<&Place> for PlaceView {
    fn from(p: &Place) -> Self {
        Self {
            community: p.slug.clone(),
            name: p.name.clone(),
            role: p.role.as_str().to_string(),
        }
    }
}

/// A member's own account, as they (or their worker) see it: includes contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: i32,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `email`, `phone`, `email_and_phone` or `worker_only`.
    pub contact_preference: String,
    /// Set when a worker signed this member up on their behalf.
    pub created_by: Option<i32>,
    pub consent_at: Option<DateTime<Utc>>,
    pub consent_method: Option<String>,
    pub communities: Vec<PlaceView>,
}

impl AccountView {
    pub fn new(m: member::Model, places: &[Place]) -> Self {
        Self {
            id: m.id,
            display_name: m.display_name,
            email: m.email,
            phone: m.phone,
            contact_preference: m.contact_preference,
            created_by: m.created_by,
            consent_at: m.consent_at,
            consent_method: m.consent_method,
            communities: places.iter().map(PlaceView::from).collect(),
        }
    }
}

/// Another member as residents see them: no email, no phone.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicMemberView {
    pub id: i32,
    pub display_name: String,
    pub communities: Vec<String>,
    pub offers: Vec<ListingView>,
    pub wants: Vec<ListingView>,
}

/// A community, as anyone may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityView {
    pub slug: String,
    pub name: String,
    pub host_org: Option<String>,
}

impl From<community::Model> for CommunityView {
    fn from(c: community::Model) -> Self {
        Self {
            slug: c.slug,
            name: c.name,
            host_org: c.host_org,
        }
    }
}
