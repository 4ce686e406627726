//! What pages show of a listing, and the fields of the listing form.

use entity::listing;
use serde::Deserialize;

use crate::domain::listing::{Kind, ListingDraft, Mode};

/// One of the viewer's own listings.
pub struct MyItem {
    pub id: i32,
    pub plural: &'static str,
    pub text: String,
    pub category: Option<String>,
    pub mode_label: &'static str,
    pub availability: Option<String>,
    pub paused: bool,
    pub by_worker: bool,
}

impl MyItem {
    pub fn new(l: listing::Model, kind: Kind) -> Self {
        Self {
            id: l.id,
            plural: kind.plural(),
            mode_label: mode_label(&l.mode),
            by_worker: l.created_by.is_some_and(|by| by != l.member_id),
            text: l.text,
            category: l.category,
            availability: l.availability,
            paused: l.paused,
        }
    }
}

/// Someone else's listing, with a link to their page.
pub struct PublicItem {
    pub member_id: i32,
    pub member_name: String,
    pub text: String,
    pub category: Option<String>,
    pub mode_label: &'static str,
    pub availability: Option<String>,
}

impl PublicItem {
    pub fn new(l: listing::Model, member_name: String) -> Self {
        Self {
            member_id: l.member_id,
            member_name,
            mode_label: mode_label(&l.mode),
            text: l.text,
            category: l.category,
            availability: l.availability,
        }
    }
}

fn mode_label(mode: &str) -> &'static str {
    match Mode::parse(mode) {
        Ok(Mode::InPerson) => "in person",
        Ok(Mode::Online) => "online",
        _ => "in person or online",
    }
}

/// The listing form as typed, kept to show it again when it needs fixing.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct DraftFields {
    pub text: String,
    pub category: String,
    pub mode: String,
    pub availability: String,
}

impl Default for DraftFields {
    fn default() -> Self {
        Self {
            text: String::new(),
            category: String::new(),
            mode: Mode::Either.as_str().to_string(),
            availability: String::new(),
        }
    }
}

impl DraftFields {
    pub fn parse(&self) -> Result<ListingDraft, crate::domain::FieldError> {
        ListingDraft::parse(
            &self.text,
            Some(&self.category),
            Some(&self.mode),
            Some(&self.availability),
        )
    }
}

impl From<&listing::Model> for DraftFields {
    fn from(l: &listing::Model) -> Self {
        Self {
            text: l.text.clone(),
            category: l.category.clone().unwrap_or_default(),
            mode: l.mode.clone(),
            availability: l.availability.clone().unwrap_or_default(),
        }
    }
}
