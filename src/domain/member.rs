//! Members, their roles and their contact details as validated values.

use std::str::FromStr;

use super::{FieldError, bounded_text, optional_text, str_enum};

/// Shortest password accepted; length matters more than composition rules.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted, so hashing cost stays bounded.
pub const MAX_PASSWORD: usize = 256;

str_enum!(
    /// A member's role in one community.
    Role, "role" { Resident => "resident", Worker => "worker", Admin => "admin" }
);

str_enum!(
    /// Which details a member lets kith share once an introduction is accepted by both sides.
    ContactPreference, "contact_preference" {
        Email => "email",
        Phone => "phone",
        EmailAndPhone => "email_and_phone",
        WorkerOnly => "worker_only",
    }
);

str_enum!(
    /// How a member agreed to kith holding their details.
    ConsentMethod, "consent_method" {
        SelfSignup => "self",
        InPerson => "in_person",
        Phone => "phone",
        PaperForm => "paper_form",
    }
);

impl Role {
    /// Workers and admins can act for residents of their community.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Worker | Role::Admin)
    }
}

/// A syntactically valid email address, lower-cased so lookups are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim().to_lowercase();
        if trimmed.len() <= 254
            && trimmed.contains('.')
            && email_address::EmailAddress::from_str(&trimmed).is_ok()
        {
            Ok(Self(trimmed))
        } else {
            Err(FieldError::new(
                "email",
                format!(
                    "`{}` is not an email address like name@example.org",
                    raw.trim()
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A password that meets the length rules; never logged or displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let len = raw.chars().count();
        if len < MIN_PASSWORD {
            return Err(FieldError::new(
                "password",
                format!(
                    "password must be at least {MIN_PASSWORD} characters; a short sentence works well"
                ),
            ));
        }
        if len > MAX_PASSWORD {
            return Err(FieldError::new(
                "password",
                format!("password must be at most {MAX_PASSWORD} characters"),
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The name other members see; 1–80 characters.
pub fn parse_display_name(raw: &str) -> Result<String, FieldError> {
    bounded_text("display_name", raw, 80)
}

/// An optional phone number: digits, spaces, `+`, `-` and brackets, 6–20 digits.
pub fn parse_phone(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(phone) = optional_text("phone", raw, 32)? else {
        return Ok(None);
    };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if allowed && (6..=20).contains(&digits) {
        Ok(Some(phone))
    } else {
        Err(FieldError::new(
            "phone",
            format!("`{phone}` is not a phone number like 0141 555 0123"),
        ))
    }
}

/// Everything needed to create a member, validated.
#[derive(Debug, Clone)]
pub struct MemberDraft {
    pub display_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub password: Option<Password>,
    pub contact_preference: ContactPreference,
    pub consent_method: ConsentMethod,
    /// The worker signing this member up on their behalf.
    pub created_by: Option<i32>,
}

impl MemberDraft {
    /// A resident signing themselves up: email and password required.
    pub fn self_signup(
        display_name: &str,
        email: &str,
        password: &str,
    ) -> Result<Self, FieldError> {
        Ok(Self {
            display_name: parse_display_name(display_name)?,
            email: Some(Email::parse(email)?),
            phone: None,
            password: Some(Password::parse(password)?),
            contact_preference: ContactPreference::Email,
            consent_method: ConsentMethod::SelfSignup,
            created_by: None,
        })
    }
}

/// Changes a member makes to their own details; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsPatch {
    pub display_name: Option<String>,
    /// `Some(None)` removes the phone number.
    pub phone: Option<Option<String>>,
    pub contact_preference: Option<ContactPreference>,
}

impl DetailsPatch {
    pub fn parse(
        display_name: Option<&str>,
        phone: Option<Option<&str>>,
        contact_preference: Option<&str>,
    ) -> Result<Self, FieldError> {
        Ok(Self {
            display_name: display_name.map(parse_display_name).transpose()?,
            phone: phone.map(parse_phone).transpose()?,
            contact_preference: contact_preference
                .map(ContactPreference::parse)
                .transpose()?,
        })
    }
}

/// A worker's sign-up of a resident, as typed; see [`MemberDraft::assisted`].
#[derive(Debug, Clone, Default)]
pub struct AssistedSignup<'a> {
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub consent_method: &'a str,
    pub consent_given: bool,
    pub contact_preference: Option<&'a str>,
}

impl MemberDraft {
    /// A resident signed up by worker `worker_id`: no password, consent recorded and required,
    /// contact through the worker unless the resident chose otherwise.
    pub fn assisted(input: &AssistedSignup<'_>, worker_id: i32) -> Result<Self, FieldError> {
        if !input.consent_given {
            return Err(FieldError::new(
                "consent_given",
                "ask the resident whether kith may keep their details, and tick consent only if they agree",
            ));
        }
        let consent_method = ConsentMethod::parse(input.consent_method)?;
        if consent_method == ConsentMethod::SelfSignup {
            return Err(FieldError::new(
                "consent_method",
                "for an assisted sign-up use in_person, phone or paper_form",
            ));
        }
        let email = match input.email.map(str::trim) {
            None | Some("") => None,
            Some(e) => Some(Email::parse(e)?),
        };
        let contact_preference = match input.contact_preference.map(str::trim) {
            None | Some("") => ContactPreference::WorkerOnly,
            Some(p) => ContactPreference::parse(p)?,
        };
        Ok(Self {
            display_name: parse_display_name(input.display_name)?,
            email,
            phone: parse_phone(input.phone)?,
            password: None,
            contact_preference,
            consent_method,
            created_by: Some(worker_id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lower_cased_and_checked() {
        assert_eq!(
            Email::parse(" Ann@Example.ORG ").unwrap().as_str(),
            "ann@example.org"
        );
        assert_eq!(Email::parse("not-an-email").unwrap_err().field, "email");
        assert!(Email::parse("ann@localhost").is_err());
    }

    #[test]
    fn short_password_is_refused_and_never_printed() {
        assert_eq!(Password::parse("short").unwrap_err().field, "password");
        let p = Password::parse("a long enough phrase").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn phone_numbers_allow_common_punctuation() {
        assert_eq!(
            parse_phone(Some("0141 555 0123")).unwrap().as_deref(),
            Some("0141 555 0123")
        );
        assert_eq!(parse_phone(Some("  ")).unwrap(), None);
        assert!(parse_phone(Some("call me")).is_err());
    }

    #[test]
    fn assisted_sign_up_needs_consent_and_defaults_to_worker_only_contact() {
        let mut input = AssistedSignup {
            display_name: "Jean",
            consent_method: "phone",
            consent_given: true,
            ..Default::default()
        };
        let draft = MemberDraft::assisted(&input, 7).unwrap();
        assert_eq!(draft.created_by, Some(7));
        assert_eq!(draft.contact_preference, ContactPreference::WorkerOnly);
        assert!(draft.email.is_none() && draft.password.is_none());
        input.consent_given = false;
        assert_eq!(
            MemberDraft::assisted(&input, 7).unwrap_err().field,
            "consent_given"
        );
        input.consent_given = true;
        input.consent_method = "self";
        assert_eq!(
            MemberDraft::assisted(&input, 7).unwrap_err().field,
            "consent_method"
        );
    }

    #[test]
    fn roles_parse_and_staff_are_workers_and_admins() {
        assert_eq!(Role::parse("worker").unwrap(), Role::Worker);
        assert!(Role::Admin.is_staff());
        assert!(!Role::Resident.is_staff());
        assert!(Role::parse("boss").is_err());
    }
}
