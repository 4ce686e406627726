//! A small, realistic demo neighbourhood so a newcomer can look around at once.

use sea_orm::{DatabaseConnection, TransactionTrait};

use super::matches::MatchIndex;
use super::{communities, introductions, listings, members};
use crate::config::DEFAULT_INTRODUCTION_EXPIRY_DAYS;
use crate::domain::community::CommunityDraft;
use crate::domain::listing::{Kind, ListingDraft};
use crate::domain::member::{ContactPreference, Email, MemberDraft, Role};
use crate::error::{AppError, AppResult};

/// The password of every demo account (demo data only; never use it for real people).
pub const PASSWORD: &str = "kith-demo-password";
const SLUG: &str = "demo-hillside";

/// What `load` did, and the logins to print.
pub struct DemoReport {
    pub created: bool,
    pub community_slug: &'static str,
    /// (email, display name, role)
    pub logins: Vec<(String, String, &'static str)>,
}

struct Person {
    name: &'static str,
    email: &'static str,
    role: Role,
    offers: &'static [&'static str],
    wants: &'static [&'static str],
}

const PEOPLE: &[Person] = &[
    Person {
        name: "Morag (worker)",
        email: "morag@demo.kith",
        role: Role::Worker,
        offers: &[],
        wants: &[],
    },
    Person {
        name: "Agnes",
        email: "agnes@demo.kith",
        role: Role::Resident,
        offers: &[
            "Baking scones and traybakes, happy to teach",
            "A cup of tea and a chat",
        ],
        wants: &["Help setting up video calls to my grandson"],
    },
    Person {
        name: "Tam",
        email: "tam@demo.kith",
        role: Role::Resident,
        offers: &["Fixing bikes, punctures, brakes and gears"],
        wants: &["Someone to help with my universal credit form"],
    },
    Person {
        name: "Priya",
        email: "priya@demo.kith",
        role: Role::Resident,
        offers: &[
            "Help with CVs and job applications",
            "Filling in benefits forms",
        ],
        wants: &["Learn to grow vegetables on my balcony"],
    },
    Person {
        name: "Jamie",
        email: "jamie@demo.kith",
        role: Role::Resident,
        offers: &["Guitar lessons for beginners"],
        wants: &["My bike has a flat tyre"],
    },
    Person {
        name: "Olu",
        email: "olu@demo.kith",
        role: Role::Resident,
        offers: &["Gardening: weeding, planting and growing veg"],
        wants: &["gitar lesons for my son"],
    },
    Person {
        name: "Wiktoria",
        email: "wiktoria@demo.kith",
        role: Role::Resident,
        offers: &["Polish conversation practice", "Sewing and mending clothes"],
        wants: &["English conversation practice"],
    },
    Person {
        name: "Davie",
        email: "davie@demo.kith",
        role: Role::Resident,
        offers: &["Flat pack furniture assembly", "Putting up shelves"],
        wants: &["Someone to walk my dog on Tuesdays"],
    },
    Person {
        name: "Fatima",
        email: "fatima@demo.kith",
        role: Role::Resident,
        offers: &[
            "Dog walking and pet sitting",
            "English conversation over coffee",
        ],
        wants: &["Help with a smartphone"],
    },
    Person {
        name: "Ewan",
        email: "ewan@demo.kith",
        role: Role::Resident,
        offers: &["Showing people how to use smartphones and tablets"],
        wants: &["Learn to bake bread"],
    },
    Person {
        name: "Siobhan",
        email: "siobhan@demo.kith",
        role: Role::Resident,
        offers: &["Babysitting in the evenings"],
        wants: &["Help putting together a wardrobe"],
    },
    Person {
        name: "Ray",
        email: "ray@demo.kith",
        role: Role::Resident,
        offers: &["Lifts to hospital appointments"],
        wants: &["Company: someone to chat to once a week"],
    },
    Person {
        name: "Mei",
        email: "mei@demo.kith",
        role: Role::Resident,
        offers: &["Knitting and crochet for beginners"],
        wants: &["A hand with my garden, it's overgrown"],
    },
];

/// Creates the demo community and people once; later calls only report the logins.
pub async fn load(db: &DatabaseConnection) -> AppResult<DemoReport> {
    let logins = PEOPLE
        .iter()
        .map(|p| (p.email.to_string(), p.name.to_string(), p.role.as_str()))
        .collect();
    if communities::find_by_slug(db, SLUG).await?.is_some() {
        return Ok(DemoReport {
            created: false,
            community_slug: SLUG,
            logins,
        });
    }
    // Matches are stored as the listings go in, so the demo shows them at once.
    let index = MatchIndex::load(db).await?;
    // All or nothing: a half-loaded demo would be confusing.
    let txn = db.begin().await?;
    let draft = CommunityDraft::parse(SLUG, "Hillside (demo)", Some("Hillside Community Trust"))?;
    let community = communities::create(&txn, draft).await?;
    // (member id, listing id, text) of everything posted, to set up an introduction below.
    let mut posted = Vec::new();
    for person in PEOPLE {
        let mut draft = MemberDraft::self_signup(person.name, person.email, PASSWORD)?;
        draft.contact_preference = ContactPreference::Email;
        let member = members::create(&txn, draft, community.id, person.role).await?;
        for (kind, texts) in [(Kind::Offer, person.offers), (Kind::Want, person.wants)] {
            for text in texts {
                let listing = ListingDraft::parse(text, None, None, None)?;
                let created =
                    listings::create(&txn, &index, kind, member.id, community.id, listing, None)
                        .await?;
                posted.push((member.id, created.id, *text));
            }
        }
    }
    introduce(&txn, PEOPLE[0].email, &posted).await?;
    txn.commit().await?;
    Ok(DemoReport {
        created: true,
        community_slug: SLUG,
        logins,
    })
}

/// Morag has introduced Agnes (tea and a chat) to Ray (wants company), and Agnes has said yes,
/// so the worker's dashboard and both residents' pages show an introduction under way.
async fn introduce(
    db: &impl sea_orm::ConnectionTrait,
    morag_email: &str,
    posted: &[(i32, i32, &str)],
) -> AppResult<()> {
    let find = |text: &str| posted.iter().find(|(_, _, t)| *t == text).copied();
    let (Some((agnes, offer, _)), Some((_, want, _))) = (
        find("A cup of tea and a chat"),
        find("Company: someone to chat to once a week"),
    ) else {
        return Ok(());
    };
    let viewer = |id: i32| async move {
        members::load_viewer(db, id)
            .await?
            .ok_or(AppError::NotFound("member"))
    };
    let morag = members::find_by_email(db, &Email::parse(morag_email)?)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    let expiry = chrono::Duration::days(DEFAULT_INTRODUCTION_EXPIRY_DAYS);
    let note = "Agnes makes a lovely pot of tea, and Ray is new to Hillside.";
    let intro = introductions::start(
        db,
        &viewer(morag.id).await?,
        offer,
        want,
        Some(note.into()),
        expiry,
    )
    .await?;
    let accept = introductions::Action::Accept;
    introductions::act(db, &viewer(agnes).await?, intro.id, accept, None, expiry).await?;
    Ok(())
}
