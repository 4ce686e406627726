//! Introduction pages: a member's list, one introduction with its answers and (once both
//! accepted) the other's shared details, and the forms that move it on.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::EntityTrait;
use serde::Deserialize;
use tower_sessions::Session;

use super::chrome::flash_and_redirect;
use super::exchanges::number;
use super::notes::{self, NoteForm};
use super::{Chrome, PageResult, page};
use crate::auth::WebViewer;
use crate::domain::exchange::ExchangeDraft;
use crate::domain::introduction::{Status, parse_note};
use crate::error::AppError;
use crate::services::introduction_details::{self, IntroductionDetails};
use crate::services::introductions::{self, Action};
use crate::services::safeguarding::{self, NoteView, Subject};
use crate::services::{exchanges, ledger};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "introductions.html")]
struct ListPage {
    chrome: Chrome,
    waiting: Vec<IntroductionDetails>,
    others: Vec<IntroductionDetails>,
}

/// The introductions a member is part of or asked for.
pub async fn list(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let rows = introductions::of_member(&state.db, viewer.id())
        .await
        .map_err(page(&chrome))?;
    let all = introduction_details::load(&state.db, &viewer, rows)
        .await
        .map_err(page(&chrome))?;
    let (waiting, others) = all.into_iter().partition(|i| i.awaiting_my_answer);
    Ok(ListPage {
        chrome,
        waiting,
        others,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "introduction.html")]
struct ShowPage {
    chrome: Chrome,
    intro: IntroductionDetails,
    /// The viewer is one of the two members.
    is_party: bool,
    is_staff: bool,
    /// Members a worker may answer for (no login of their own): (id, name).
    answer_for: Vec<(i32, String)>,
    can_record_exchange: bool,
    can_withdraw: bool,
    notes: Vec<NoteView>,
    today: String,
}

/// One introduction.
pub async fn show(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    chrome: Chrome,
    Path(id): Path<i32>,
) -> PageResult<impl IntoResponse> {
    let chrome = chrome.with_viewer(&viewer);
    let outcome = async {
        let found = introductions::find_visible(&state.db, &viewer, id).await?;
        let is_staff = viewer.is_staff_in(found.community_id);
        let is_party = viewer.id() == found.giver_id || viewer.id() == found.receiver_id;
        let asked = found.requested_by == Some(viewer.id());
        let mut answer_for = Vec::new();
        if is_staff {
            for member_id in [found.giver_id, found.receiver_id] {
                let m = entity::member::Entity::find_by_id(member_id)
                    .one(&state.db)
                    .await?;
                if let Some(m) = m.filter(|m| m.password_hash.is_none()) {
                    answer_for.push((m.id, m.display_name));
                }
            }
        }
        let notes = if is_staff {
            safeguarding::list(&state.db, &viewer, Subject::Introduction(id)).await?
        } else {
            Vec::new()
        };
        let intro = introduction_details::load_one(&state.db, &viewer, found).await?;
        let intro_open = intro.status.is_open();
        let can_record_exchange =
            (is_party || is_staff) && matches!(intro.status, Status::Accepted | Status::Met);
        Ok::<_, AppError>(ShowPage {
            chrome: chrome.clone(),
            intro,
            is_party,
            is_staff,
            answer_for,
            can_record_exchange,
            can_withdraw: intro_open && (is_staff || asked),
            notes,
            today: Utc::now().date_naive().to_string(),
        })
    }
    .await;
    outcome.map_err(page(&chrome))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StartForm {
    pub offer: String,
    pub want: String,
    pub note: String,
}

/// Proposes (worker) or asks for (member) an introduction, from the matches or dashboard page.
pub async fn start(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Form(form): Form<StartForm>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let outcome = async {
        let offer = number("offer", &form.offer)? as i32;
        let want = number("want", &form.want)? as i32;
        let note = parse_note(Some(&form.note))?;
        let expiry = state.config.introduction_expiry;
        introductions::start(&state.db, &viewer, offer, want, note, expiry).await
    }
    .await
    .map_err(page(&chrome))?;
    let message = match Status::parse(&outcome.status) {
        Ok(Status::Requested) => "Asked. A community worker will be in touch about it.",
        Ok(Status::AwaitingApproval) => {
            "Proposed. A second worker needs to approve it before the members are told."
        }
        _ => "Introduction proposed. Both members have been asked.",
    };
    flash_and_redirect(
        &session,
        &chrome,
        message,
        &format!("/introductions/{}", outcome.id),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    /// A member id a worker answers for; empty for oneself.
    pub on_behalf_of: String,
}

async fn act(
    state: AppState,
    viewer: crate::services::members::Viewer,
    session: Session,
    chrome: Chrome,
    id: i32,
    action: Action,
    on_behalf_of: &str,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let outcome = async {
        let for_member = match on_behalf_of.trim() {
            "" => None,
            raw => Some(number("on_behalf_of", raw)? as i32),
        };
        let expiry = state.config.introduction_expiry;
        introductions::act(&state.db, &viewer, id, action, for_member, expiry).await
    }
    .await
    .map_err(page(&chrome))?;
    let message = match Status::parse(&outcome.status) {
        Ok(Status::Accepted) => "Both said yes: you can now see how to get in touch.",
        Ok(Status::AcceptedByOne) => "Thank you. We're waiting for the other person's answer.",
        Ok(Status::Declined) => "Declined. Nothing has been shared.",
        Ok(Status::Withdrawn) => "Withdrawn.",
        Ok(Status::Proposed) => "Approved. Both members have been asked.",
        Ok(Status::Met) => "Noted that you met.",
        _ => "Saved.",
    };
    flash_and_redirect(&session, &chrome, message, &format!("/introductions/{id}")).await
}

/// Builds a handler for one action; accept and decline take an optional "on behalf of".
macro_rules! action_handler {
    ($name:ident, $action:expr) => {
        pub async fn $name(
            State(state): State<AppState>,
            WebViewer(viewer): WebViewer,
            session: Session,
            chrome: Chrome,
            Path(id): Path<i32>,
            Form(form): Form<AnswerForm>,
        ) -> PageResult<Response> {
            act(
                state,
                viewer,
                session,
                chrome,
                id,
                $action,
                &form.on_behalf_of,
            )
            .await
        }
    };
}

action_handler!(accept, Action::Accept);
action_handler!(decline, Action::Decline);
action_handler!(withdraw, Action::Withdraw);
action_handler!(approve, Action::Approve);
action_handler!(met, Action::MarkMet);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExchangeForm {
    pub hours: String,
    pub minutes: String,
    pub date: String,
    pub description: String,
}

/// Records the exchange that came from an introduction (the other side then confirms it).
pub async fn record_exchange(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(form): Form<ExchangeForm>,
) -> PageResult<Response> {
    let chrome = chrome.with_viewer(&viewer);
    let outcome = async {
        let found = introductions::find_visible(&state.db, &viewer, id).await?;
        let minutes = crate::ledger::Minutes::from_hours_and_minutes(
            "minutes",
            number("hours", &form.hours)?,
            number("minutes", &form.minutes)?,
        )?;
        let mut draft = ExchangeDraft::parse(
            found.giver_id,
            found.receiver_id,
            minutes.get(),
            &form.date,
            &form.description,
            Utc::now().date_naive(),
        )?;
        draft.offer_id = Some(found.offer_id);
        draft.want_id = Some(found.want_id);
        let viewer = &viewer;
        ledger::locked(&state.db, found.community_id, |txn, community| async move {
            let result = match exchanges::record(&txn, &community, viewer, draft).await {
                Ok(e) => introductions::link_exchange(&txn, viewer, id, &e)
                    .await
                    .map(|_| e),
                Err(e) => Err(e),
            };
            (txn, result)
        })
        .await
    }
    .await
    .map_err(page(&chrome))?;
    flash_and_redirect(
        &session,
        &chrome,
        format!(
            "Recorded {}. The other person will be asked to confirm it.",
            crate::ledger::format_minutes(outcome.minutes)
        ),
        &format!("/introductions/{id}"),
    )
    .await
}

pub async fn add_note(
    State(state): State<AppState>,
    WebViewer(viewer): WebViewer,
    session: Session,
    chrome: Chrome,
    Path(id): Path<i32>,
    Form(form): Form<NoteForm>,
) -> PageResult<Response> {
    let back = format!("/introductions/{id}");
    notes::save(
        &state,
        &viewer,
        &session,
        chrome,
        Subject::Introduction(id),
        form,
        &back,
    )
    .await
}
