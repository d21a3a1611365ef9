//! The sharing agreement, tested like code: the decision table in `policy/tests/`, the
//! break-glass rules, the matrix governance signs off, and the refusals of a broken policy set.
//! Everything here runs against the policy files in the repository's `policy/` directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use joinery_domain::{
    AgencyCode, AgencyKind, CaseFacts, Category, ItemFacts, NoteFacts, Role, Username,
};
use joinery_policy::{
    Access, PolicyError, PolicyFile, PolicySources, Reader, SharingPolicy, compute_matrix,
};

fn policy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy")
}

fn read_dir(dir: &Path) -> Vec<PolicyFile> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .map(|entry| PolicyFile {
            name: entry.file_name().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(entry.path()).unwrap_or_else(|e| panic!("{e}")),
        })
        .collect()
}

fn repository_policy() -> SharingPolicy {
    let sources =
        PolicySources::from_files(read_dir(&policy_dir())).unwrap_or_else(|e| panic!("{e}"));
    SharingPolicy::load(&sources).unwrap_or_else(|e| panic!("{e}"))
}

fn code(text: &str) -> AgencyCode {
    AgencyCode::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn name(text: &str) -> Username {
    Username::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn kind_of(agency: &str) -> AgencyKind {
    match &agency[..3] {
        "MER" | "CHS" => AgencyKind::Police,
        "CPS" => AgencyKind::Cps,
        "LVC" => AgencyKind::Court,
        "PRO" => AgencyKind::Probation,
        _ => AgencyKind::Voluntary,
    }
}

/// One row of the table, turned into a reader, the case and item (or note) facts, and grants.
struct Row {
    line: usize,
    reader: Reader,
    case: CaseFacts,
    subject: Subject,
    glass: BTreeSet<Category>,
    expect: Access,
}

/// What a row decides: an item of a category, or (category column `note`) the note on a
/// request for work between the reader's agency, if `party`, and the row's owner.
enum Subject {
    Item(ItemFacts),
    Note(NoteFacts),
}

impl Row {
    fn item(&self) -> Option<&ItemFacts> {
        match &self.subject {
            Subject::Item(item) => Some(item),
            Subject::Note(_) => None,
        }
    }

    fn about(&self) -> &'static str {
        self.item().map_or("a note", |item| item.category.as_str())
    }
}

fn parse_row(line: usize, text: &str) -> Row {
    let columns: Vec<&str> = text.split_whitespace().collect();
    let [role, agency, category, owner, facts, expect] = columns[..] else {
        panic!("line {line}: expected 6 columns, found {}", columns.len());
    };
    let facts: BTreeSet<&str> = facts.split(',').filter(|f| *f != "-").collect();
    let known = [
        "team",
        "addressed",
        "ordered",
        "convicted",
        "consent",
        "listed",
        "author",
        "glass",
        "stranger",
        "party",
        "badchar",
    ];
    for fact in &facts {
        assert!(known.contains(fact), "line {line}: unknown fact `{fact}`");
    }
    let note = category == "note";
    let category = match note {
        // A note has no category of its own; its item's is case core.
        true => Category::CaseCore,
        false => Category::parse(category).unwrap_or_else(|e| panic!("line {line}: {e}")),
    };
    let reader_name = name("reader");
    let reader = match role {
        "system" => Reader::system(code(agency), kind_of(agency)),
        role => Reader::user(
            reader_name.clone(),
            code(agency),
            kind_of(agency),
            Role::parse(role).unwrap_or_else(|e| panic!("line {line}: {e}")),
        ),
    };
    let mut team = BTreeSet::new();
    if !facts.contains("stranger") {
        team.insert(code(owner));
    }
    if facts.contains("team") {
        team.insert(code(agency));
    }
    let case = CaseFacts {
        team,
        judges: if facts.contains("listed") {
            BTreeSet::from([reader_name.clone()])
        } else {
            BTreeSet::from([name("dj.other")])
        },
        convicted: facts.contains("convicted"),
        bad_character_admitted: facts.contains("badchar"),
        consents: if facts.contains("consent") {
            category.consent().into_iter().collect()
        } else {
            BTreeSet::new()
        },
    };
    let mut parties = BTreeSet::from([code(owner)]);
    if facts.contains("party") {
        parties.insert(code(agency));
    }
    let item = ItemFacts {
        category,
        owner: code(owner),
        addressed_to: if facts.contains("addressed") {
            BTreeSet::from([code(agency)])
        } else {
            BTreeSet::new()
        },
        order_requirement: facts.contains("ordered"),
        author: (category == Category::JudicialComment).then(|| {
            if facts.contains("author") {
                reader_name.clone()
            } else {
                name("dj.other")
            }
        }),
    };
    let glass = if facts.contains("glass") {
        BTreeSet::from([category])
    } else {
        BTreeSet::new()
    };
    let expect = match expect {
        "full" => Access::Full,
        "summary" => Access::Summary,
        "withheld" => Access::Withheld,
        other => panic!("line {line}: unknown expectation `{other}`"),
    };
    Row {
        line,
        reader,
        case,
        subject: match note {
            true => Subject::Note(NoteFacts { parties }),
            false => Subject::Item(item),
        },
        glass,
        expect,
    }
}

fn table() -> Vec<Row> {
    let text = std::fs::read_to_string(policy_dir().join("tests/agreement.table"))
        .unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(index, line)| parse_row(index + 1, line))
        .collect()
}

#[test]
fn every_row_of_the_agreement_table_is_decided_as_written() {
    let policy = repository_policy();
    let rows = table();
    let mut failures = Vec::new();
    for row in &rows {
        let mut access = policy
            .case_access(&row.reader, &row.case, &row.glass)
            .unwrap_or_else(|e| panic!("{e}"));
        let decision = match &row.subject {
            Subject::Item(item) => access.decide(item),
            Subject::Note(note) => access
                .decide_notes(std::slice::from_ref(note))
                .map(|mut decided| decided.remove(0)),
        }
        .unwrap_or_else(|e| panic!("{e}"));
        if decision.access != row.expect {
            failures.push(format!(
                "line {}: {:?} of {} on {}: expected {:?}, got {:?} ({:?})",
                row.line,
                row.reader.role,
                row.reader.agency,
                row.about(),
                row.expect,
                decision.access,
                decision.policies
            ));
        }
        if decision.is_disclosed() {
            assert!(
                !decision.policies.is_empty(),
                "line {}: no policy named",
                row.line
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_cell_of_the_product_table() {
    let rows = table();
    let matrix = compute_matrix(&repository_policy()).unwrap_or_else(|e| panic!("{e}"));
    let columns = [
        Role::PoliceOfficer,
        Role::Prosecutor,
        Role::LegalAdviser,
        Role::Judge,
        Role::ProbationOfficer,
        Role::SupportWorker,
    ];
    for category in Category::ALL {
        for role in columns {
            let cell = || {
                rows.iter().filter(|r| {
                    r.reader.role == role && r.item().is_some_and(|item| item.category == category)
                })
            };
            assert!(
                cell().any(|r| r.expect == Access::Withheld),
                "no refusing row for {} / {}",
                role.as_str(),
                category.as_str()
            );
            let grants_somewhere = matrix
                .cell(role, category)
                .is_some_and(|c| c.full.is_some() || c.summary.is_some());
            if grants_somewhere {
                assert!(
                    cell().any(|r| r.expect != Access::Withheld),
                    "no granting row for {} / {}",
                    role.as_str(),
                    category.as_str()
                );
            }
        }
    }
}

#[test]
fn glass_can_be_broken_by_those_working_on_the_case_never_for_privilege_comments_intelligence_or_victims()
 {
    let policy = repository_policy();
    let probation = Reader::user(
        name("reader"),
        code("PROBNW"),
        AgencyKind::Probation,
        Role::ProbationOfficer,
    );
    let on_team = CaseFacts {
        team: BTreeSet::from([code("PROBNW"), code("MERPOL"), code("CPSMER")]),
        ..CaseFacts::default()
    };
    let item = |category, owner: &str| ItemFacts {
        category,
        owner: code(owner),
        addressed_to: BTreeSet::new(),
        order_requirement: false,
        author: (category == Category::JudicialComment).then(|| name("dj.other")),
    };
    let may = |reader: &Reader, case: &CaseFacts, item: &ItemFacts| {
        policy
            .may_break_glass(reader, case, item)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(may(
        &probation,
        &on_team,
        &item(Category::PoliceFile, "MERPOL")
    ));
    for closed in [Category::VictimWitness, Category::Intelligence] {
        assert!(
            !may(&probation, &on_team, &item(closed, "MERPOL")),
            "{}",
            closed.as_str()
        );
    }
    assert!(!may(
        &probation,
        &on_team,
        &item(Category::LegalAdvice, "CPSMER")
    ));
    assert!(!may(
        &probation,
        &on_team,
        &item(Category::JudicialComment, "LVCJC")
    ));
    let off_team = CaseFacts {
        team: BTreeSet::from([code("MERPOL")]),
        ..CaseFacts::default()
    };
    assert!(!may(
        &probation,
        &off_team,
        &item(Category::PoliceFile, "MERPOL")
    ));
    let manager = Reader::user(
        name("reader"),
        code("PROBNW"),
        AgencyKind::Probation,
        Role::Manager,
    );
    assert!(!may(
        &manager,
        &on_team,
        &item(Category::PoliceFile, "MERPOL")
    ));
}

#[test]
fn only_governance_officers_may_ask_who_has_seen_a_case() {
    let policy = repository_policy();
    for role in Role::ALL {
        let reader = Reader::user(name("reader"), code("MERPOL"), AgencyKind::Police, role);
        let may = policy
            .may_review_audit(&reader)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(may, role == Role::GovernanceOfficer, "{}", role.as_str());
    }
    let system = Reader::system(code("MERPOL"), AgencyKind::Police);
    assert!(
        !policy
            .may_review_audit(&system)
            .unwrap_or_else(|e| panic!("{e}"))
    );
}

#[test]
fn the_matrix_governance_signs_off_is_computed_from_the_policies() {
    let matrix = compute_matrix(&repository_policy()).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!(matrix.to_markdown());
}

#[test]
fn the_built_in_policy_set_is_the_repository_policy_directory() {
    let from_disk =
        PolicySources::from_files(read_dir(&policy_dir())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_disk.digest(), PolicySources::builtin().digest());
}

fn with_extra_policy(text: &str) -> Result<SharingPolicy, PolicyError> {
    let mut files = read_dir(&policy_dir());
    files.push(PolicyFile {
        name: "zz_local.cedar".to_owned(),
        text: text.to_owned(),
    });
    SharingPolicy::load(&PolicySources::from_files(files)?)
}

#[test]
fn a_broken_policy_set_is_refused_with_the_reason() {
    let unparsable = with_extra_policy("@id(\"x\") permit (principal, action, resource) when {");
    assert!(
        matches!(&unparsable, Err(PolicyError::Parse { file, .. }) if file == "zz_local.cedar"),
        "{:?}",
        unparsable.err().map(|e| e.to_string())
    );
    let unknown_attribute = with_extra_policy(
        "@id(\"x\") permit (principal, action == Joinery::Action::\"read\", resource) \
         when { principal.rank == \"inspector\" };",
    );
    let message = unknown_attribute
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("do not validate") && message.contains("rank"),
        "{message}"
    );
    let anonymous = with_extra_policy("permit (principal, action, resource);");
    assert!(matches!(anonymous, Err(PolicyError::MissingId { .. })));
    let duplicate = with_extra_policy(
        "@id(\"case-core-team\") permit (principal, action == Joinery::Action::\"read\", resource);",
    );
    assert!(matches!(duplicate, Err(PolicyError::DuplicateId { .. })));
    let no_schema = PolicySources::from_files(
        read_dir(&policy_dir())
            .into_iter()
            .filter(|f| f.name.ends_with(".cedar")),
    );
    assert!(matches!(no_schema, Err(PolicyError::NoSchema)));
}

#[test]
fn a_policy_that_names_an_agency_is_decided_by_the_exact_facts() {
    let policy = with_extra_policy(
        "@id(\"merpol-files-to-probation\")\n@category(\"police_file\")\n\
         permit (principal, action == Joinery::Action::\"read\", resource)\n\
         when { principal.role == \"probation_officer\" && \
         resource.owner == Joinery::Agency::\"MERPOL\" };",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let reader = Reader::user(
        name("reader"),
        code("PROBNW"),
        AgencyKind::Probation,
        Role::ProbationOfficer,
    );
    let case = CaseFacts {
        team: BTreeSet::from([code("PROBNW"), code("MERPOL"), code("CHSPOL")]),
        ..CaseFacts::default()
    };
    let file = |owner: &str| ItemFacts {
        category: Category::PoliceFile,
        owner: code(owner),
        addressed_to: BTreeSet::new(),
        order_requirement: false,
        author: None,
    };
    let mut access = policy
        .case_access(&reader, &case, &BTreeSet::new())
        .unwrap_or_else(|e| panic!("{e}"));
    // Two police forces in the same position on the case; only one is named by the policy.
    let merpol = access
        .decide(&file("MERPOL"))
        .unwrap_or_else(|e| panic!("{e}"));
    let chspol = access
        .decide(&file("CHSPOL"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (merpol.access, chspol.access),
        (Access::Full, Access::Withheld)
    );
    assert_eq!(access.evaluations(), 2);
}

#[test]
fn items_in_the_same_position_share_one_decision_across_cases() {
    let policy = repository_policy();
    let reader = Reader::user(
        name("reader"),
        code("MERPOL"),
        AgencyKind::Police,
        Role::PoliceOfficer,
    );
    let file = |owner: &str| ItemFacts {
        category: Category::CaseCore,
        owner: code(owner),
        addressed_to: BTreeSet::new(),
        order_requirement: false,
        author: None,
    };
    let first = CaseFacts {
        team: BTreeSet::from([code("MERPOL"), code("CPSMER")]),
        ..CaseFacts::default()
    };
    let second = CaseFacts {
        team: BTreeSet::from([code("MERPOL"), code("LVCJC")]),
        ..CaseFacts::default()
    };
    let mut access = policy
        .case_access(&reader, &first, &BTreeSet::new())
        .unwrap_or_else(|e| panic!("{e}"));
    access
        .decide(&file("CPSMER"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(access.evaluations(), 1);
    let mut again = policy
        .case_access(&reader, &second, &BTreeSet::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let decision = again
        .decide(&file("LVCJC"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decision.access, Access::Full);
    assert_eq!(again.evaluations(), 0, "remembered from the first case");
}

#[test]
fn an_agencys_administrators_and_systems_administer_its_integrations() {
    let policy = repository_policy();
    for role in Role::ALL {
        let reader = Reader::user(name("reader"), code("LVCJC"), AgencyKind::Court, role);
        let may = policy
            .may_administer_agency(&reader)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(may, role == Role::Administrator, "{}", role.as_str());
    }
    let system = Reader::system(code("LVCJC"), AgencyKind::Court);
    assert!(
        policy
            .may_administer_agency(&system)
            .unwrap_or_else(|e| panic!("{e}"))
    );
}

/// Who may see management information, and where: role, agency, the report's court, force, CPS
/// area and probation service (`*`: every one), and the answer.
const MEASURES: &[(Role, &str, [&str; 4], bool)] = &[
    // A court's manager sees their centre, from every force or one, prosecuted by every CPS
    // area or one.
    (Role::Manager, "LVCJC", ["LVCJC", "*", "*", "*"], true),
    (Role::Manager, "LVCJC", ["LVCJC", "MERPOL", "*", "*"], true),
    (Role::Manager, "LVCJC", ["LVCJC", "*", "CPSMER", "*"], true),
    // Not another court's, nor a force's or a CPS area's across courts, nor the country's.
    (Role::Manager, "LVCJC", ["LVCOTH", "*", "*", "*"], false),
    (Role::Manager, "LVCJC", ["*", "MERPOL", "*", "*"], false),
    (Role::Manager, "LVCJC", ["*", "*", "CPSMER", "*"], false),
    (Role::Manager, "LVCJC", ["*", "*", "*", "*"], false),
    // A force's manager sees their force, at every court or one.
    (Role::Manager, "MERPOL", ["*", "MERPOL", "*", "*"], true),
    (Role::Manager, "MERPOL", ["LVCJC", "MERPOL", "*", "*"], true),
    (Role::Manager, "MERPOL", ["*", "CHSPOL", "*", "*"], false),
    (Role::Manager, "MERPOL", ["*", "*", "*", "*"], false),
    // Its code where a CPS area's goes names no CPS area: a force's manager sees nothing there.
    (Role::Manager, "MERPOL", ["*", "*", "MERPOL", "*"], false),
    // A CPS area's manager sees the cases it prosecutes, at every court and from every force,
    // or any part of them; not another area's, nor the country's.
    (Role::Manager, "CPSMER", ["*", "*", "CPSMER", "*"], true),
    (
        Role::Manager,
        "CPSMER",
        ["LVCJC", "MERPOL", "CPSMER", "*"],
        true,
    ),
    (Role::Manager, "CPSMER", ["*", "*", "CPSNW", "*"], false),
    (Role::Manager, "CPSMER", ["LVCJC", "*", "*", "*"], false),
    (Role::Manager, "CPSMER", ["*", "*", "*", "*"], false),
    // A probation service's manager sees the cases it works on.
    (Role::Manager, "PROBNW", ["*", "*", "*", "PROBNW"], true),
    (Role::Manager, "PROBNW", ["LVCJC", "*", "*", "PROBNW"], true),
    (Role::Manager, "PROBNW", ["*", "*", "*", "PROBNE"], false),
    (Role::Manager, "PROBNW", ["*", "*", "*", "*"], false),
    // A support service's manager has no place counted.
    (Role::Manager, "VOLHSG", ["*", "*", "*", "*"], false),
    (Role::Manager, "VOLHSG", ["*", "*", "*", "VOLHSG"], false),
    // A Local Criminal Justice Board's analyst sees their force area.
    (Role::AreaAnalyst, "MERPOL", ["*", "MERPOL", "*", "*"], true),
    (
        Role::AreaAnalyst,
        "MERPOL",
        ["LVCJC", "MERPOL", "*", "*"],
        true,
    ),
    (Role::AreaAnalyst, "MERPOL", ["LVCJC", "*", "*", "*"], false),
    (
        Role::AreaAnalyst,
        "MERPOL",
        ["*", "CHSPOL", "*", "*"],
        false,
    ),
    (
        Role::AreaAnalyst,
        "CPSMER",
        ["*", "CPSMER", "*", "*"],
        false,
    ),
    (
        Role::AreaAnalyst,
        "CPSMER",
        ["*", "*", "CPSMER", "*"],
        false,
    ),
    // A national analyst sees anywhere.
    (Role::NationalAnalyst, "CPSMER", ["*", "*", "*", "*"], true),
    (
        Role::NationalAnalyst,
        "LVCJC",
        ["LVCOTH", "CHSPOL", "*", "*"],
        true,
    ),
    (
        Role::NationalAnalyst,
        "LVCJC",
        ["*", "*", "CPSNW", "PROBNE"],
        true,
    ),
    // A court's listing officer sees their centre, as its manager does; not another court's,
    // nor a force's across courts.
    (Role::LegalAdviser, "LVCJC", ["LVCJC", "*", "*", "*"], true),
    (
        Role::LegalAdviser,
        "LVCJC",
        ["LVCJC", "MERPOL", "*", "*"],
        true,
    ),
    (
        Role::LegalAdviser,
        "LVCJC",
        ["LVCOTH", "*", "*", "*"],
        false,
    ),
    (
        Role::LegalAdviser,
        "LVCJC",
        ["*", "MERPOL", "*", "*"],
        false,
    ),
    (Role::LegalAdviser, "LVCJC", ["*", "*", "*", "*"], false),
    // Other people who work cases, governance and administrators do not see it.
    (
        Role::PoliceOfficer,
        "MERPOL",
        ["*", "MERPOL", "*", "*"],
        false,
    ),
    (Role::Prosecutor, "CPSMER", ["*", "*", "CPSMER", "*"], false),
    (
        Role::ProbationOfficer,
        "PROBNW",
        ["*", "*", "*", "PROBNW"],
        false,
    ),
    (Role::Judge, "LVCJC", ["LVCJC", "*", "*", "*"], false),
    (
        Role::GovernanceOfficer,
        "LVCJC",
        ["LVCJC", "*", "*", "*"],
        false,
    ),
    (
        Role::Administrator,
        "LVCJC",
        ["LVCJC", "*", "*", "*"],
        false,
    ),
];

#[test]
fn management_information_is_seen_by_managers_of_their_own_place_listing_officers_and_analysts() {
    use joinery_domain::measures::Scope;
    let policy = repository_policy();
    let place = |code_text: &str| (code_text != "*").then(|| code(code_text));
    for (role, agency, places, expected) in MEASURES {
        let reader = Reader::user(name("reader"), code(agency), kind_of(agency), *role);
        let [court, force, prosecutor, probation] = places.map(place);
        let scope = Scope {
            court,
            force,
            prosecutor,
            probation,
            offence_type: None,
        };
        let may = policy
            .may_view_measures(&reader, &scope)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            may,
            *expected,
            "{} at {agency} over court, force, CPS area, probation {places:?}",
            role.as_str()
        );
    }
    let system = Reader::system(code("MERPOL"), AgencyKind::Police);
    let scope = Scope {
        force: Some(code("MERPOL")),
        ..Scope::default()
    };
    assert!(!policy.may_view_measures(&system, &scope).unwrap_or(true));
}
