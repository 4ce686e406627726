//! Unit tests of text normalisation.

use super::*;

#[test]
fn dotted_abbreviations_are_one_word() {
    let folded =
        |s: &str| -> Vec<String> { split_fold(s).into_iter().map(|(_, f, _)| f).collect() };
    assert_eq!(folded("update my c.v"), ["update", "my", "cv"]);
    assert_eq!(folded("D.I.Y. jobs"), ["diy", "jobs"]);
    assert_eq!(folded("e.g. tea. A chat"), ["eg", "tea", "a", "chat"]);
    assert_eq!(folded("St.Mary's"), ["st", "marys"]);
    assert_eq!(folded("plan B. then"), ["plan", "b", "then"]);
}

fn content(n: &Normaliser, s: &str) -> Vec<String> {
    n.words(s)
        .into_iter()
        .filter(|w| !w.stop)
        .map(|w| w.stem)
        .collect()
}

#[test]
fn folds_case_accents_and_punctuation() {
    let n = Normaliser::new();
    let w = n.words("Résumé/CV-writing!!");
    let folded: Vec<_> = w.iter().map(|w| w.folded.as_str()).collect();
    assert_eq!(folded, ["resume", "cv", "writing"]);
    assert_eq!(w[0].original, "Résumé");
}

#[test]
fn drops_stop_words_and_fillers() {
    let n = Normaliser::new();
    assert_eq!(
        content(&n, "I'm looking for someone to help with my garden"),
        ["garden"]
    );
    assert_eq!(content(&n, "I can help with mowing lawns"), ["mow", "lawn"]);
    assert_eq!(content(&n, "Would like to learn to knit please"), ["knit"]);
}

#[test]
fn stems_english() {
    let n = Normaliser::new();
    assert_eq!(content(&n, "Fixing punctures"), ["fix", "punctur"]);
    assert_eq!(n.stem("gardening"), n.stem("garden"));
}

#[test]
fn keeps_it_as_information_technology_only_when_capitalised() {
    let n = Normaliser::new();
    assert_eq!(content(&n, "IT support"), ["infotech", "support"]);
    assert!(content(&n, "fix it").iter().all(|s| s != "infotech"));
}

#[test]
fn dialect_and_text_speak_function_words_are_stop_words() {
    let n = Normaliser::new();
    assert_eq!(
        content(&n, "pls cud u dae ma CV wi me, cannae dae it masel tbh"),
        ["cv"]
    );
    assert_eq!(
        content(&n, "gonnae gie us a lift fae the shops tae hame"),
        {
            let lift = n.stem("lift");
            let shops = n.stem("shops");
            vec![n.stem("give"), lift, shops, n.stem("home")]
        }
    );
}

#[test]
fn dialect_words_and_first_letter_misspellings_take_the_standard_spelling() {
    let n = Normaliser::new();
    assert_eq!(
        content(&n, "mind the weans in ma hoose"),
        [n.stem("mind"), n.stem("children"), n.stem("house")]
    );
    assert_eq!(content(&n, "teach me nitting"), [n.stem("knitting")]);
    // The resident's own spelling is kept for explanations.
    let w = n.words("Weans");
    assert_eq!(
        (w[0].original.as_str(), w[0].folded.as_str()),
        ("Weans", "children")
    );
}

#[test]
fn every_spelling_variant_line_is_a_pair() {
    let lines = SPELLING_VARIANTS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    assert!(lines > 100, "{lines} variant lines");
    assert_eq!(spelling_variants().count(), lines, "a line lacks ' = '");
}

#[test]
fn wi_fi_written_apart_is_wifi_but_wi_alone_is_with() {
    let n = Normaliser::new();
    assert_eq!(content(&n, "my wi-fi is slow"), ["wifi", "slow"]);
    assert_eq!(content(&n, "set up wi fi"), ["set", "up", "wifi"]);
    // "wi" alone is "with", so "help wi" is the filler "help with".
    assert_eq!(content(&n, "help wi ma garden"), ["garden"]);
    // Not across a clause break.
    assert!(!content(&n, "wi, fi").contains(&"wifi".to_string()));
}

#[test]
fn drops_bare_numbers_keeps_alphanumerics() {
    let n = Normaliser::new();
    assert_eq!(content(&n, "couch to 5k in 10 weeks"), ["couch", "5k"]);
}

#[test]
fn a_dropped_g_is_restored_only_where_the_ing_form_is_english() {
    let n = Normaliser::new();
    assert_eq!(content(&n, "bike fixin"), content(&n, "bike fixing"));
    assert_eq!(
        content(&n, "toddler mornins, dancin n paintin"),
        content(&n, "toddler mornings, dancing and painting")
    );
    // Real words ending in -in(s) are left alone.
    assert_eq!(
        content(&n, "violin for my cousins"),
        [n.stem("violin"), n.stem("cousins")]
    );
}

#[test]
fn scots_and_doric_words_take_the_standard_spelling() {
    let n = Normaliser::new();
    assert_eq!(
        content(&n, "the dug pulls me aff ma feet"),
        content(&n, "the dog pulls me off my feet")
    );
    assert_eq!(
        content(&n, "ma loon wants tae play fitba"),
        content(&n, "my boy wants to play football")
    );
}

#[test]
fn a_compound_written_as_two_words_is_the_one_word() {
    let n = Normaliser::new();
    assert_eq!(
        content(&n, "our club needs a web site"),
        content(&n, "club website")
    );
    assert_eq!(content(&n, "child care"), [n.stem("childcare")]);
    // The resident's spelling stays for explanations.
    assert_eq!(n.words("hair cut")[0].original, "hair cut");
    // Only content words join: "is land" is not an island.
    assert_eq!(
        content(&n, "the garden is land I rent"),
        content(&n, "garden land rent")
    );
    // Nor across a clause break.
    assert_eq!(content(&n, "web, site"), [n.stem("web"), n.stem("site")]);
}

#[test]
fn months_say_when_not_what() {
    let n = Normaliser::new();
    assert_eq!(
        content(&n, "driving theory, my test is in March"),
        content(&n, "driving theory, my test")
    );
    assert!(content(&n, "since June").is_empty());
}
