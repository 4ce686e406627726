//! Offers and wants as validated values.

use super::{FieldError, bounded_text, optional_text, str_enum};

/// Longest offer or want text, in characters.
pub const MAX_TEXT: usize = 500;
/// Longest category name.
pub const MAX_CATEGORY: usize = 60;
/// Longest availability note.
pub const MAX_AVAILABILITY: usize = 200;

str_enum!(
    /// Whether a listing is something given or something asked for.
    Kind, "kind" { Offer => "offer", Want => "want" }
);

str_enum!(
    /// How an exchange can happen.
    Mode, "mode" { InPerson => "in_person", Online => "online", Either => "either" }
);

impl Kind {
    /// The plural used in URLs and headings (`offers`, `wants`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Offer => "offers",
            Kind::Want => "wants",
        }
    }
}

/// A complete, valid offer or want ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingDraft {
    pub text: String,
    pub category: Option<String>,
    pub mode: Mode,
    pub availability: Option<String>,
}

impl ListingDraft {
    /// Validates raw input; `mode` defaults to `either`.
    pub fn parse(
        text: &str,
        category: Option<&str>,
        mode: Option<&str>,
        availability: Option<&str>,
    ) -> Result<Self, FieldError> {
        Ok(Self {
            text: bounded_text("text", text, MAX_TEXT)?,
            category: optional_text("category", category, MAX_CATEGORY)?,
            mode: parse_mode(mode)?.unwrap_or(Mode::Either),
            availability: optional_text("availability", availability, MAX_AVAILABILITY)?,
        })
    }
}

/// A partial update: `None` leaves a field as it is; `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListingPatch {
    pub text: Option<String>,
    pub category: Option<Option<String>>,
    pub mode: Option<Mode>,
    pub availability: Option<Option<String>>,
    pub paused: Option<bool>,
}

impl ListingPatch {
    /// Validates each field that is present.
    pub fn parse(
        text: Option<&str>,
        category: Option<Option<&str>>,
        mode: Option<&str>,
        availability: Option<Option<&str>>,
        paused: Option<bool>,
    ) -> Result<Self, FieldError> {
        Ok(Self {
            text: text
                .map(|t| bounded_text("text", t, MAX_TEXT))
                .transpose()?,
            category: category
                .map(|c| optional_text("category", c, MAX_CATEGORY))
                .transpose()?,
            mode: parse_mode(mode)?,
            availability: availability
                .map(|a| optional_text("availability", a, MAX_AVAILABILITY))
                .transpose()?,
            paused,
        })
    }

    /// Whether the patch would change nothing at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

fn parse_mode(mode: Option<&str>) -> Result<Option<Mode>, FieldError> {
    match mode.map(str::trim) {
        None | Some("") => Ok(None),
        Some(m) => Mode::parse(m).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_mode_defaults_to_either() {
        let d = ListingDraft::parse("  guitar lessons ", Some(" "), None, None).unwrap();
        assert_eq!(d.text, "guitar lessons");
        assert_eq!(d.category, None);
        assert_eq!(d.mode, Mode::Either);
    }

    #[test]
    fn empty_text_is_refused_naming_the_field() {
        let err = ListingDraft::parse("   ", None, None, None).unwrap_err();
        assert_eq!(err.field, "text");
    }

    #[test]
    fn text_over_500_characters_is_refused() {
        let long = "é".repeat(MAX_TEXT + 1);
        let err = ListingDraft::parse(&long, None, None, None).unwrap_err();
        assert_eq!(err.field, "text");
        assert!(err.message.contains("500"), "{}", err.message);
        assert!(ListingDraft::parse(&"é".repeat(MAX_TEXT), None, None, None).is_ok());
    }

    #[test]
    fn unknown_mode_lists_the_allowed_values() {
        let err = ListingDraft::parse("x", None, Some("by post"), None).unwrap_err();
        assert_eq!(err.field, "mode");
        assert!(err.message.contains("in_person, online, either"));
    }

    #[test]
    fn patch_can_clear_category_and_knows_when_empty() {
        let p = ListingPatch::parse(None, Some(None), None, None, None).unwrap();
        assert_eq!(p.category, Some(None));
        assert!(!p.is_empty());
        assert!(ListingPatch::default().is_empty());
    }
}
