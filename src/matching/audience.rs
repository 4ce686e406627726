//! Who a text is for, when it says so: children ("my son", "for my 5 year old") or adults
//! ("for nervous adults", "older folk"). A want for a child is not met by an offer only for
//! adults, nor the other way round, however well the skill words match.

/// The text mentions a child.
pub const CHILD: u8 = 1;
/// The text mentions adults as its audience.
pub const ADULT: u8 = 2;

/// Grandchildren are left out: in a want they are mostly the reason ("video call my
/// grandkids"), not the learner.
use std::borrow::Cow;

const CHILD_WORDS: &str = "son sons daughter daughters kid kids kiddie kiddies child children \
    childs toddler toddlers baby babies boy boys girl girls wean weans bairn bairns teen teens \
    teenager teenagers youngster youngsters infant infants newborn tot tots primary nursery \
    p1 p2 p3 p4 p5 p6 p7";

const ADULT_WORDS: &str = "adult adults grownups elderly pensioner pensioners oap oaps seniors";

/// Words after "older" that make it an audience ("older folk"), not an age of a thing.
const OLDER_WHO: &str = "folk folks people adults residents ones";

fn listed(list: &str, w: &str) -> bool {
    // Every text runs this for each of its words: the substring search rules most out cheaply.
    list.contains(w) && list.split_whitespace().any(|x| x == w)
}

/// [`CHILD`] and/or [`ADULT`] bits for `text` (0: it does not say).
pub fn audience(text: &str) -> u8 {
    // Its own split: the matcher's normaliser drops numbers, and ages are numbers.
    let words: Vec<Cow<str>> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            // Most words are already lower-case ASCII: no need to copy them.
            if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
        .collect();
    let mut bits = 0;
    for (i, w) in words.iter().enumerate() {
        let w: &str = w;
        let next = words.get(i + 1).map(|n| n.as_ref());
        if listed(CHILD_WORDS, w) || age(w, next).is_some_and(|a| a < 16) {
            bits |= CHILD;
        } else if listed(ADULT_WORDS, w)
            || (w == "older" && next.is_some_and(|n| listed(OLDER_WHO, n)))
            || (w == "grown" && next == Some("ups"))
        {
            bits |= ADULT;
        }
    }
    bits
}

/// An age written as "5 year old", "2 yrs", "5yo" or "3yr".
fn age(w: &str, next: Option<&str>) -> Option<u32> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    let (n, unit) = w.split_at(digits);
    let n: u32 = n.parse().ok()?;
    let unit = if unit.is_empty() { next? } else { unit };
    matches!(unit, "year" | "years" | "yr" | "yrs" | "yo").then_some(n)
}

/// True if one text is only for children and the other only for adults.
pub fn conflict(a: u8, b: u8) -> bool {
    (a == CHILD && b == ADULT) || (a == ADULT && b == CHILD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_and_adults_are_recognised() {
        assert_eq!(audience("swimming lessons for my 5 year old"), CHILD);
        assert_eq!(audience("help my son with his reading, hes in P3"), CHILD);
        assert_eq!(audience("my 3yo wont sleep"), CHILD);
        assert_eq!(audience("swimming for nervous adults"), ADULT);
        assert_eq!(audience("email for older folk, grown-ups welcome"), ADULT);
        assert_eq!(audience("an older laptop, 20 years old"), 0);
        assert_eq!(audience("video call my grandkids"), 0);
        assert_eq!(audience("reading with children and adults"), CHILD | ADULT);
    }

    #[test]
    fn only_child_against_only_adult_conflicts() {
        assert!(conflict(CHILD, ADULT) && conflict(ADULT, CHILD));
        assert!(!conflict(CHILD, CHILD | ADULT) && !conflict(0, ADULT) && !conflict(CHILD, 0));
    }
}
