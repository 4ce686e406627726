//! HTTP routes: the JSON API under `/api/v1`, server-rendered pages, and the health check.

pub mod api;
pub mod health;
pub mod web;
