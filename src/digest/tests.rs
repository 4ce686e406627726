//! Unit tests of digest composition: wording, order, links, and nothing for nothing new.

use super::*;

fn line(id: i32, name: &str, mine: &str, theirs: &str, swap: bool) -> MatchLine {
    MatchLine {
        other_member_id: id,
        other_name: name.to_string(),
        my_text: mine.to_string(),
        their_text: theirs.to_string(),
        swap,
    }
}

fn input() -> DigestInput {
    DigestInput {
        member_name: "Ann".into(),
        base_url: "https://kith.example.org".into(),
        unsubscribe_url: "https://kith.example.org/unsubscribe/abc".into(),
        ..Default::default()
    }
}

#[test]
fn nothing_new_means_no_digest_even_with_a_nudge() {
    let mut d = input();
    d.nudge_minutes = Some(900);
    assert!(compose(&d).unwrap().is_none());
}

#[test]
fn subject_counts_distinct_people_both_ways() {
    let mut d = input();
    d.could_help_me = vec![
        line(2, "Bob", "guitar lessons", "I teach guitar", false),
        line(3, "Cat", "guitar lessons", "guitar for beginners", false),
        line(3, "Cat", "fix my bike", "bike repairs", false),
        line(4, "Dan", "guitar lessons", "guitar", false),
    ];
    d.i_could_help = vec![line(5, "Eve", "gardening", "help in my garden", false)];
    let digest = compose(&d).unwrap().unwrap();
    assert_eq!(
        digest.subject,
        "kith: Three neighbours could help you, and a neighbour would love your help"
    );
}

#[test]
fn swaps_come_first_and_both_parts_carry_names_texts_and_links() {
    let mut d = input();
    d.could_help_me = vec![
        line(2, "Bob", "guitar lessons", "I teach guitar", false),
        line(3, "Cat <b>", "fix my bike", "bike repairs", true),
    ];
    let digest = compose(&d).unwrap().unwrap();
    let cat = digest.text.find("Cat").unwrap();
    let bob = digest.text.find("Bob").unwrap();
    assert!(cat < bob, "swap first:\n{}", digest.text);
    assert!(digest.text.contains("https://kith.example.org/members/3"));
    assert!(
        digest
            .text
            .contains("https://kith.example.org/unsubscribe/abc")
    );
    assert!(digest.html.contains("https://kith.example.org/members/2"));
    assert!(digest.html.contains("Cat &#60;b&#62;") || digest.html.contains("Cat &lt;b&gt;"));
    assert!(
        !digest.html.contains("Cat <b>"),
        "names are escaped in HTML"
    );
    assert!(digest.text.contains("swap"));
}

#[test]
fn waiting_exchanges_and_introductions_are_news_and_the_nudge_rides_along() {
    let mut d = input();
    d.exchanges_waiting = vec![ExchangeLine {
        other_name: "Bob".into(),
        minutes: 90,
        description: "Fixed the fence".into(),
        reader_gave: false,
    }];
    d.introductions_waiting = vec![IntroductionLine {
        other_name: "Cat".into(),
        about: "guitar".into(),
        path: "/introductions/1".into(),
    }];
    d.nudge_minutes = Some(720);
    let digest = compose(&d).unwrap().unwrap();
    assert_eq!(digest.subject, "kith: 2 things are waiting for you");
    assert!(digest.text.contains("1.5 hours"), "{}", digest.text);
    assert!(digest.text.contains("Fixed the fence"));
    assert!(digest.text.contains("https://kith.example.org/exchanges"));
    assert!(
        digest
            .text
            .contains("https://kith.example.org/introductions/1")
    );
    assert!(digest.text.contains("12 hours"), "nudge: {}", digest.text);
    assert!(digest.html.contains("12 hours"));
}

#[test]
fn hours_read_naturally() {
    assert_eq!(hours(60), "1");
    assert_eq!(hours(90), "1.5");
    assert_eq!(hours(600), "10");
}
