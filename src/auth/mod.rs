//! Who is asking: passwords, browser sessions with CSRF protection, and API bearer tokens.

pub mod csrf;
pub mod extract;
pub mod password;
pub mod session_store;

pub use extract::{ApiViewer, OptionalWebViewer, WebViewer};
