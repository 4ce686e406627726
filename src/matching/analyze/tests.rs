//! Tests of text analysis: phrases, stop-word phrases, negation, clauses, typos.

use super::*;

fn show(v: &Vocabulary, s: &str) -> Vec<(String, TokClass)> {
    analyse(v, Side::Offer, s)
        .into_iter()
        .map(|t| (t.display, t.class))
        .collect()
}

#[test]
fn phrases_override_single_words() {
    let v = Vocabulary::builtin();
    let tap = analyse(&v, Side::Offer, "tap dancing");
    let leak = analyse(&v, Side::Offer, "tap");
    assert_eq!(tap.len(), 1);
    assert!(tap[0].groups.iter().all(|g| !leak[0].groups.contains(g)));
    assert_eq!(tap[0].display, "tap dancing");
    assert_eq!(tap[0].parts.len(), 2);
}

#[test]
fn unordered_phrases_and_stop_words_between() {
    let v = Vocabulary::builtin();
    let a = analyse(&v, Side::Offer, "banking online");
    let b = analyse(&v, Side::Offer, "Internet Banking");
    assert_eq!(a[0].groups, b[0].groups);
    let c = analyse(&v, Side::Offer, "my grass needs cutting");
    assert_eq!(c.len(), 1);
    assert!(c[0].is_phrase());
    let d = analyse(&v, Side::Offer, "decorate a birthday cake");
    assert!(d.iter().any(|t| t.display == "decorate cake"), "{d:?}");
}

#[test]
fn classes_and_typos() {
    let v = Vocabulary::builtin();
    let t = show(&v, "gitar lessons zorblax");
    assert_eq!(t[0].1, TokClass::Known);
    assert_eq!(t[1].1, TokClass::Generic);
    assert_eq!(t[2].1, TokClass::Unknown);
    let g = analyse(&v, Side::Offer, "gitar");
    assert!(g[0].corrected && g[0].confidence < 1.0);
    assert_eq!(show(&v, "gardening")[0].1, TokClass::Broad);
}

#[test]
fn a_negated_word_is_dropped_and_the_negation_ends_there() {
    let v = Vocabulary::builtin();
    let ear = show(
        &v,
        "a listening ear (not a counsellor), no judgement, guitar",
    );
    let words: Vec<&str> = ear.iter().map(|t| t.0.as_str()).collect();
    assert!(!words.iter().any(|w| w.contains("counsellor")), "{words:?}");
    assert!(!words.contains(&"judgement"), "{words:?}");
    assert!(words.contains(&"guitar"), "{words:?}");
    // A negation stopped by another word does not reach the next skill.
    let g = show(&v, "no experience needed guitar");
    assert!(g.iter().any(|t| t.0 == "guitar"), "{g:?}");
}

#[test]
fn a_phrase_does_not_jump_over_a_skill_of_another_topic() {
    let v = Vocabulary::builtin();
    let t = show(&v, "got my daughter a hamster, how to look after it");
    assert!(t.iter().all(|(d, _)| !d.contains("daughter look")), "{t:?}");
    let list = analyse(&v, Side::Offer, "mending alterations and holes");
    assert!(
        list.iter().any(|t| t.display == "mending holes"),
        "{list:?}"
    );
}

#[test]
fn words_spaced_apart_that_the_vocabulary_knows_as_one_are_joined() {
    let v = Vocabulary::builtin();
    let joined = analyse(&v, Side::Offer, "my lap top");
    let laptop = analyse(&v, Side::Offer, "laptop");
    assert_eq!(joined[0].display, "lap top");
    assert_eq!(joined[0].groups, laptop[0].groups);
    // Not across a word that was dropped.
    let apart = show(&v, "a cat on top of my lap");
    assert!(apart.iter().all(|(d, _)| d != "lap top"), "{apart:?}");
}

#[test]
fn phrases_do_not_join_words_across_a_clause_break() {
    let v = Vocabulary::builtin();
    let joins_wall_and_hang = |t: &AnalysedToken| {
        let stems: Vec<&str> = t.parts.iter().map(|(s, _)| s.as_str()).collect();
        stems.contains(&"wall") && stems.contains(&"hang")
    };
    assert!(
        analyse(&v, Side::Offer, "wall hanging")
            .iter()
            .any(joins_wall_and_hang)
    );
    for text in [
        "painting walls, hanging paper",
        "damp walls, hanging baskets",
        "damp walls. Hanging baskets",
        "damp walls; hanging baskets",
        "damp walls - hanging baskets",
        "damp walls \u{2013} hanging baskets",
        "damp walls (hanging baskets)",
        "hanging, my walls",
    ] {
        let t = analyse(&v, Side::Offer, text);
        assert!(!t.iter().any(joins_wall_and_hang), "{text}: {t:?}");
    }
    let paper = show(&v, "painting walls, hanging paper");
    assert!(paper.iter().any(|(d, _)| d == "hanging paper"), "{paper:?}");
    // A hyphen inside a compound is no break.
    assert!(
        analyse(&v, Side::Offer, "wall-hanging")
            .iter()
            .any(joins_wall_and_hang)
    );
}

#[test]
fn repeated_words_count_once() {
    let v = Vocabulary::builtin();
    assert_eq!(analyse(&v, Side::Offer, "guitar, guitar, GUITAR").len(), 1);
}

#[test]
fn a_quoted_stop_word_phrase_stands_for_its_words_in_order() {
    let mut v = Vocabulary::empty();
    v.extend_from_str(
        "[wellbeing] W\n= lonely, \"on my own\"\n= grief, \"lost my husband\"\n~ husband\n",
    )
    .unwrap();
    let lonely = analyse(&v, Side::Offer, "lonely")[0].groups.clone();
    let own = analyse(&v, Side::Offer, "I live on my own now");
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0].groups, lonely);
    assert_eq!(own[0].display, "on my own");
    let lost = analyse(&v, Side::Offer, "She lost her husband last year");
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(lost[0].groups, analyse(&v, Side::Offer, "grief")[0].groups);
    let out_of_order = analyse(&v, Side::Offer, "my own, on");
    assert!(out_of_order.is_empty(), "{out_of_order:?}");
}

#[test]
fn a_stop_word_phrase_that_is_negated_is_dropped() {
    let mut v = Vocabulary::empty();
    v.extend_from_str("[w] W\n= lonely, \"on my own\"\n")
        .unwrap();
    assert!(analyse(&v, Side::Offer, "not on my own").is_empty());
}

#[test]
fn a_wants_no_names_the_need_but_an_offers_no_rules_the_word_out() {
    let v = Vocabulary::builtin();
    let words = |side, text| -> Vec<String> {
        analyse(&v, side, text)
            .into_iter()
            .map(|t| t.display)
            .collect()
    };
    assert_eq!(words(Side::Want, "no email address"), ["email address"]);
    assert!(words(Side::Offer, "no garden needed").is_empty());
    // Scots "nae" is "no" (a spelling variant), read the same way on each side.
    assert_eq!(words(Side::Want, "nae email address"), ["email address"]);
    assert!(words(Side::Offer, "nae garden needed").is_empty());
    // "not" rules a word out on both sides.
    assert!(!words(Side::Want, "a chat, not a counsellor").contains(&"counsellor".into()));
    assert!(!words(Side::Offer, "a chat, not a counsellor").contains(&"counsellor".into()));
}

#[test]
fn a_negated_vocabulary_term_matches_its_own_words_not_their_opposite() {
    let mut v = Vocabulary::empty();
    v.extend_from_str("[diy] D\n= boiler repair, boiler not working\n= heating timer\n~ work\n")
        .unwrap();
    let repair = analyse(&v, Side::Want, "boiler repair")[0].groups.clone();
    let broken = analyse(&v, Side::Want, "my boiler not working");
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].groups, repair);
    // Read without its negation the term would have been the phrase "boiler work".
    let working = analyse(&v, Side::Offer, "how to work the boiler");
    assert!(working.iter().all(|t| t.groups != repair), "{working:?}");
}

#[test]
fn a_street_name_is_an_address_not_a_skill() {
    let v = Vocabulary::builtin();
    let words = |text| -> Vec<String> {
        analyse(&v, Side::Want, text)
            .into_iter()
            .map(|t| t.display)
            .collect()
    };
    assert_eq!(
        words("lifts to the shops, I live on Church Street"),
        ["lifts shops"]
    );
    assert_eq!(
        words("dog walking near Mill Road, Sundays"),
        ["dog walking", "sundays"]
    );
    assert_eq!(words("church lifts near Mill Rd"), ["church lifts"]);
    // Street words that are part of a skill or a vocabulary phrase stay.
    assert!(words("learn street dance").contains(&"street dance".to_string()));
    assert!(
        words("service my road bike")
            .iter()
            .any(|w| w.contains("road bike"))
    );
    assert!(words("a trip down memory lane").contains(&"memory lane".to_string()));
}

#[test]
fn companies_are_firms_not_company_to_keep() {
    let v = Vocabulary::builtin();
    let company = analyse(&v, Side::Want, "company")[0].groups.clone();
    let firms = analyse(&v, Side::Offer, "complaints to companies");
    assert!(
        firms
            .iter()
            .all(|t| !t.groups.iter().any(|g| company.contains(g))),
        "{firms:?}"
    );
}
