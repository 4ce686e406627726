//! Sending email with lettre: a pooled SMTP transport from `KITH_SMTP_URL`, or `.eml` files in
//! `KITH_MAIL_DIR` when no server is configured, so a newcomer can read digests at once.

use std::time::Duration;

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;

/// How long one SMTP step may take before the attempt counts as a temporary failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections kept open to the SMTP server between messages. lettre writes a message and
/// its end-of-data marker separately, so on one connection each message waits for the
/// server's delayed ACK (~40 ms on Linux); parallel connections keep throughput up.
const POOL_SIZE: u32 = 16;
/// Messages in flight at once: one per pooled connection.
pub const CONCURRENCY: usize = POOL_SIZE as usize;

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// One message to send; everything was fixed when the digest was composed.
#[derive(Clone, Debug)]
pub struct OutgoingMail<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// `<…@…>`, stable across retries.
    pub message_id: &'a str,
    pub unsubscribe_url: &'a str,
}

/// Why a message was not sent, split by what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later: a 4xx reply, a timeout, a dropped connection.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Do not try again: a 5xx reply or an address no server will take.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

impl Mailer {
    /// The transport `config` asks for; the folder is created if missing.
    pub fn from_config(config: &MailConfig) -> Result<Self, String> {
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("KITH_SMTP_URL: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .pool_config(PoolConfig::new().max_size(POOL_SIZE))
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            None => {
                std::fs::create_dir_all(&config.dir).map_err(|e| {
                    format!("KITH_MAIL_DIR: cannot create {}: {e}", config.dir.display())
                })?;
                Ok(Mailer::Files(AsyncFileTransport::new(&config.dir)))
            }
        }
    }

    /// Sends `mail`, classifying failures as temporary or permanent.
    pub async fn send(&self, mail: &OutgoingMail<'_>) -> Result<(), SendError> {
        let message = build(mail)?;
        match self {
            Mailer::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    // 4xx, timeouts, refused or dropped connections: the server may be back.
                    SendError::Temporary(e.to_string())
                }
            }),
            Mailer::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError::Temporary(e.to_string())),
        }
    }
}

/// The multipart message with its one-click unsubscribe headers (RFC 2369, RFC 8058).
pub fn build(mail: &OutgoingMail<'_>) -> Result<Message, SendError> {
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|e| SendError::Permanent(format!("bad From address: {e}")))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| SendError::Permanent(format!("bad recipient address: {e}")))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .message_id(Some(mail.message_id.to_string()))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{}>", mail.unsubscribe_url),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_string(),
        ))
        .multipart(MultiPart::alternative_plain_html(
            mail.text.to_string(),
            mail.html.to_string(),
        ))
        .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
}

/// The domain part of the `From:` address, for Message-IDs.
pub fn from_domain(from: &str) -> String {
    from.parse::<Mailbox>()
        .map(|m| m.email.domain().to_string())
        .unwrap_or_else(|_| "localhost".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_has_both_parts_and_one_click_unsubscribe_headers() {
        let mail = OutgoingMail {
            from: "kith <kith@example.org>",
            to: "ann@example.org",
            subject: "Hello",
            text: "plain words",
            html: "<p>html words</p>",
            message_id: "<d1@example.org>",
            unsubscribe_url: "https://kith.example.org/unsubscribe/abc",
        };
        let raw = String::from_utf8(build(&mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("List-Unsubscribe: <https://kith.example.org/unsubscribe/abc>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("Message-ID: <d1@example.org>"));
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert_eq!(from_domain(mail.from), "example.org");
    }

    #[test]
    fn an_address_no_server_would_take_is_a_permanent_failure() {
        let mail = OutgoingMail {
            from: "kith <kith@example.org>",
            to: "not an address",
            subject: "s",
            text: "t",
            html: "h",
            message_id: "<x@y>",
            unsubscribe_url: "http://x/unsubscribe/t",
        };
        assert!(matches!(build(&mail), Err(SendError::Permanent(_))));
    }
}
