//! Communities as validated values.

use super::{FieldError, bounded_text, optional_text};

/// A new community: a URL-safe slug, a name and an optional host organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityDraft {
    pub slug: String,
    pub name: String,
    pub host_org: Option<String>,
}

impl CommunityDraft {
    pub fn parse(slug: &str, name: &str, host_org: Option<&str>) -> Result<Self, FieldError> {
        Ok(Self {
            slug: parse_slug(slug)?,
            name: bounded_text("name", name, 120)?,
            host_org: optional_text("host_org", host_org, 120)?,
        })
    }
}

/// A slug is 2–40 lower-case letters, digits and dashes, not starting or ending with a dash.
pub fn parse_slug(raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim();
    let ok_chars = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if (2..=40).contains(&slug.len()) && ok_chars && !slug.starts_with('-') && !slug.ends_with('-')
    {
        Ok(slug.to_string())
    } else {
        Err(FieldError::new(
            "slug",
            format!(
                "`{slug}` is not a valid slug: use 2 to 40 lower-case letters, digits and dashes, e.g. `castlemilk`"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_letters_digits_and_dashes() {
        assert!(parse_slug("govan-east").is_ok());
        assert!(parse_slug("Govan").is_err());
        assert!(parse_slug("-govan").is_err());
        assert!(parse_slug("g").is_err());
        assert!(parse_slug("gov an").is_err());
    }
}
