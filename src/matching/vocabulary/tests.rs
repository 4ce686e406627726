use super::*;

#[test]
fn builtin_parses_and_is_large() {
    let v = Vocabulary::builtin();
    let terms: usize = v.groups().iter().map(|g| g.terms.len()).sum();
    assert!(
        v.categories().len() >= 15,
        "{} categories",
        v.categories().len()
    );
    assert!(terms >= 1000, "{terms} terms");
}

#[test]
fn finds_words_stems_phrases_and_typos() {
    let v = Vocabulary::builtin();
    let bike = v.lookup_word("bike", "bike").unwrap().groups;
    assert_eq!(v.lookup_word("bicycle", "bicycl").unwrap().groups, bike);
    assert!(v.phrase_groups(&["pack", "flat"]).is_some());
    assert_eq!(
        v.phrase_groups(&["flat", "pack"]),
        v.phrase_groups(&["furnitur", "assembl"])
    );
    let hit = v.lookup_word("ukelele", "ukelel").unwrap();
    assert_eq!(hit.corrected_to.as_deref(), Some("ukulele"));
    assert!(hit.confidence > 0.8 && hit.confidence < 1.0);
    assert!(v.lookup_word("zzzzqqq", "zzzzqqq").is_none());
}

#[test]
fn distinct_instruments_are_separate_groups() {
    let v = Vocabulary::builtin();
    let g = v.lookup_word("guitar", "guitar").unwrap().groups;
    let vi = v.lookup_word("violin", "violin").unwrap().groups;
    assert!(g.iter().all(|x| !vi.contains(x)));
    assert_eq!(v.groups()[g[0] as usize].kind, GroupKind::Distinct);
    assert_eq!(
        v.groups()[g[0] as usize].category,
        v.groups()[vi[0] as usize].category
    );
}

#[test]
fn extension_adds_terms_and_reports_line_numbers() {
    let mut v = Vocabulary::builtin();
    assert!(v.lookup_word("kintsugi", "kintsugi").is_none());
    v.extend_from_str("# local words\n[crafts]\n= kintsugi, gold repair pottery\n[boats] Boats\n= narrowboat, canal boat\n")
        .unwrap();
    assert!(v.lookup_word("kintsugi", "kintsugi").is_some());
    assert!(v.category_by_name("boats").is_some());
    let e = v
        .extend_from_str("[x]\n= okra\nnot a group line\n")
        .unwrap_err();
    assert_eq!(e.line, 3);
    let e = v.extend_from_str("\n= orphan\n").unwrap_err();
    assert_eq!(e.line, 2);
    let e = v.extend_from_str("[x]\n= fine\n~ the, of\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.to_string().contains("<string>:3"));
}

#[test]
fn a_short_stem_does_not_pull_in_unrelated_words() {
    let v = Vocabulary::builtin();
    let n = v.normaliser();
    let groups = |word: &str| v.lookup_word(word, &n.stem(word)).map(|h| h.groups);
    let fit = groups("fitness").expect("fitness is in the vocabulary");
    let fittings = groups("fittings").unwrap_or_default();
    assert!(
        fit.iter().all(|g| !fittings.contains(g)),
        "fittings is not fitness"
    );
    // A short stem with a short ending still finds its word.
    assert_eq!(groups("bikes"), groups("bike"));
}

#[test]
fn a_term_of_only_stop_words_loads_when_quoted_and_fails_otherwise() {
    let mut v = Vocabulary::empty();
    assert!(
        v.extend_from_str("[w] W\n= tidy, too much stuff\n")
            .is_err()
    );
    assert!(
        v.extend_from_str("[w] W\n= tidy, \"too much stuff\"\n")
            .is_ok()
    );
    assert!(v.stop_phrases().groups("too much stuff").is_some());
}
