//! The life of an introduction: its states, the moves between them, and when contacts are shared.

use super::{FieldError, optional_text, str_enum};

/// Longest personal note a worker can add to an introduction.
pub const MAX_NOTE: usize = 1000;

str_enum!(
    /// Where an introduction stands.
    Status, "status" {
        Requested => "requested",
        AwaitingApproval => "awaiting_approval",
        Proposed => "proposed",
        AcceptedByOne => "accepted_by_one",
        Accepted => "accepted",
        Met => "met",
        ExchangeRecorded => "exchange_recorded",
        Declined => "declined",
        Withdrawn => "withdrawn",
        Expired => "expired",
    }
);

str_enum!(
    /// One member's answer to an introduction.
    Answer, "answer" { Pending => "pending", Accepted => "accepted", Declined => "declined" }
);

impl Status {
    /// Still waiting for someone (a worker, a second worker or a member) to act; these expire.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Requested | Status::AwaitingApproval | Status::Proposed | Status::AcceptedByOne
        )
    }

    /// Both members said yes: each may now see the details the other chose to share.
    pub fn shares_contacts(self) -> bool {
        matches!(
            self,
            Status::Accepted | Status::Met | Status::ExchangeRecorded
        )
    }

    /// Members have been told about it (not a request or a proposal waiting for approval).
    pub fn shown_to_members(self) -> bool {
        !matches!(self, Status::Requested | Status::AwaitingApproval)
    }

    /// Words for people, e.g. on a page.
    pub fn label(self) -> &'static str {
        match self {
            Status::Requested => "asked for, waiting for a worker",
            Status::AwaitingApproval => "waiting for a second worker's approval",
            Status::Proposed => "waiting for both answers",
            Status::AcceptedByOne => "accepted by one, waiting for the other",
            Status::Accepted => "accepted by both: contact details shared",
            Status::Met => "met",
            Status::ExchangeRecorded => "exchange recorded",
            Status::Declined => "declined",
            Status::Withdrawn => "withdrawn",
            Status::Expired => "expired",
        }
    }
}

/// Which member of the match: the one who offers, or the one who wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Giver,
    Receiver,
}

/// A move someone makes on an introduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// A worker turns a request into a proposal.
    Propose {
        needs_approval: bool,
    },
    /// A second worker approves a proposal for a member who needs that.
    Approve,
    Accept(Side),
    Decline(Side),
    /// The worker (or the member who asked) calls it off before both accept.
    Withdraw,
    MarkMet,
    RecordExchange,
    /// Nobody finished answering in time.
    Expire,
}

/// Status and both answers: everything the moves depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub status: Status,
    pub giver: Answer,
    pub receiver: Answer,
}

/// A move that cannot be made now, with words saying why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotNow(pub String);

impl Progress {
    /// A member's request, waiting for a worker.
    pub fn requested() -> Self {
        Self::with(Status::Requested)
    }

    /// A worker's proposal, straight to the members unless one of them needs a second worker.
    pub fn proposed(needs_approval: bool) -> Self {
        Self::with(if needs_approval {
            Status::AwaitingApproval
        } else {
            Status::Proposed
        })
    }

    fn with(status: Status) -> Self {
        Self {
            status,
            giver: Answer::Pending,
            receiver: Answer::Pending,
        }
    }

    /// The progress after `step`, or why it cannot be made in this state.
    pub fn apply(self, step: Move) -> Result<Self, NotNow> {
        use Status::*;
        let refuse = |what: &str| {
            Err(NotNow(format!(
                "cannot {what}: this introduction is {}",
                self.status.label()
            )))
        };
        match (self.status, step) {
            (Requested, Move::Propose { needs_approval }) => Ok(Self::proposed(needs_approval)),
            (AwaitingApproval, Move::Approve) => Ok(Self::with(Proposed)),
            (Proposed | AcceptedByOne, Move::Accept(side)) => {
                let mut next = self;
                *next.answer_mut(side) = Answer::Accepted;
                let both = next.giver == Answer::Accepted && next.receiver == Answer::Accepted;
                next.status = if both { Accepted } else { AcceptedByOne };
                Ok(next)
            }
            (Proposed | AcceptedByOne, Move::Decline(side)) => {
                let mut next = self;
                *next.answer_mut(side) = Answer::Declined;
                next.status = Declined;
                Ok(next)
            }
            (s, Move::Withdraw) if s.is_open() => Ok(Self {
                status: Withdrawn,
                ..self
            }),
            (s, Move::Expire) if s.is_open() => Ok(Self {
                status: Expired,
                ..self
            }),
            (Accepted, Move::MarkMet) => Ok(Self {
                status: Met,
                ..self
            }),
            (Accepted | Met, Move::RecordExchange) => Ok(Self {
                status: ExchangeRecorded,
                ..self
            }),
            (_, Move::Propose { .. }) => refuse("propose it"),
            (_, Move::Approve) => refuse("approve it"),
            (_, Move::Accept(_)) => refuse("accept it"),
            (_, Move::Decline(_)) => refuse("decline it"),
            (_, Move::Withdraw) => refuse("withdraw it"),
            (_, Move::Expire) => refuse("expire it"),
            (_, Move::MarkMet) => refuse("mark it as met"),
            (_, Move::RecordExchange) => refuse("record an exchange from it"),
        }
    }

    fn answer_mut(&mut self, side: Side) -> &mut Answer {
        match side {
            Side::Giver => &mut self.giver,
            Side::Receiver => &mut self.receiver,
        }
    }

    /// The answer given for `side`.
    pub fn answer(&self, side: Side) -> Answer {
        match side {
            Side::Giver => self.giver,
            Side::Receiver => self.receiver,
        }
    }
}

/// The worker's optional personal note, trimmed and bounded.
pub fn parse_note(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    optional_text("note", raw, MAX_NOTE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: Progress, moves: &[Move]) -> Result<Progress, NotNow> {
        moves.iter().try_fold(start, |p, m| p.apply(*m))
    }

    #[test]
    fn contacts_are_shared_only_after_both_accept() {
        let one = run(Progress::proposed(false), &[Move::Accept(Side::Giver)]).unwrap();
        assert_eq!(one.status, Status::AcceptedByOne);
        assert!(!one.status.shares_contacts());
        let both = one.apply(Move::Accept(Side::Receiver)).unwrap();
        assert_eq!(both.status, Status::Accepted);
        assert!(both.status.shares_contacts());
    }

    #[test]
    fn accepting_twice_from_one_side_does_not_count_as_both() {
        let p = run(
            Progress::proposed(false),
            &[Move::Accept(Side::Receiver), Move::Accept(Side::Receiver)],
        )
        .unwrap();
        assert_eq!(p.status, Status::AcceptedByOne);
    }

    #[test]
    fn a_decline_after_one_acceptance_closes_it() {
        let p = run(
            Progress::proposed(false),
            &[Move::Accept(Side::Giver), Move::Decline(Side::Receiver)],
        )
        .unwrap();
        assert_eq!(p.status, Status::Declined);
        assert!(p.apply(Move::Accept(Side::Receiver)).is_err());
    }

    #[test]
    fn members_cannot_answer_before_a_second_worker_approves() {
        let waiting = Progress::proposed(true);
        assert_eq!(waiting.status, Status::AwaitingApproval);
        assert!(!waiting.status.shown_to_members());
        assert!(waiting.apply(Move::Accept(Side::Giver)).is_err());
        let approved = waiting.apply(Move::Approve).unwrap();
        assert_eq!(approved.status, Status::Proposed);
    }

    #[test]
    fn the_whole_journey_ends_with_an_exchange() {
        let p = run(
            Progress::requested(),
            &[
                Move::Propose {
                    needs_approval: false,
                },
                Move::Accept(Side::Giver),
                Move::Accept(Side::Receiver),
                Move::MarkMet,
                Move::RecordExchange,
            ],
        )
        .unwrap();
        assert_eq!(p.status, Status::ExchangeRecorded);
        assert!(p.status.shares_contacts());
    }

    #[test]
    fn only_open_introductions_can_be_withdrawn_or_expire() {
        for open in [
            Progress::requested(),
            Progress::proposed(true),
            Progress::proposed(false),
        ] {
            assert_eq!(
                open.apply(Move::Withdraw).unwrap().status,
                Status::Withdrawn
            );
            assert_eq!(open.apply(Move::Expire).unwrap().status, Status::Expired);
        }
        let accepted = run(
            Progress::proposed(false),
            &[Move::Accept(Side::Giver), Move::Accept(Side::Receiver)],
        )
        .unwrap();
        let err = accepted.apply(Move::Withdraw).unwrap_err();
        assert!(err.0.contains("accepted by both"), "{err}");
        assert!(accepted.apply(Move::Expire).is_err());
    }

    #[test]
    fn nothing_moves_a_closed_introduction() {
        let closed = Progress::proposed(false).apply(Move::Withdraw).unwrap();
        for step in [
            Move::Accept(Side::Giver),
            Move::Approve,
            Move::MarkMet,
            Move::RecordExchange,
            Move::Expire,
        ] {
            assert!(closed.apply(step).is_err(), "{step:?}");
        }
    }

    #[test]
    fn notes_are_optional_and_bounded() {
        assert_eq!(parse_note(Some("  ")).unwrap(), None);
        assert_eq!(parse_note(Some(" hi ")).unwrap().as_deref(), Some("hi"));
        let long = "x".repeat(MAX_NOTE + 1);
        assert_eq!(parse_note(Some(&long)).unwrap_err().field, "note");
    }
}
