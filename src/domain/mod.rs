//! Validated domain types: parse once at the edge, then trust the value everywhere inside.

pub mod community;
pub mod exchange;
pub mod introduction;
pub mod listing;
pub mod member;

/// A value that failed validation, naming the field and saying how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// Trims `raw` and checks it holds between 1 and `max` characters.
pub(crate) fn bounded_text(
    field: &'static str,
    raw: &str,
    max: usize,
) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, format!("{field} must not be empty")));
    }
    let len = text.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            format!("{field} is {len} characters long; keep it to {max} or fewer"),
        ));
    }
    Ok(text.to_string())
}

/// Like [`bounded_text`], but an absent or blank value is `None`.
pub(crate) fn optional_text(
    field: &'static str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded_text(field, text, max).map(Some),
    }
}

/// Declares a `&'static str`-backed enum with parsing that names the allowed values.
macro_rules! str_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored or wire form, naming the allowed values when it fails.
            pub fn parse(raw: &str) -> Result<Self, $crate::domain::FieldError> {
                match raw.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::domain::FieldError::new(
                        $field,
                        format!(
                            "`{}` is not allowed; use one of: {}",
                            other,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;
