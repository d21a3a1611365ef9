//! `joinery bench case-view`: what authorization adds to reading a case.
//!
//! One case of 200 items — every message type, from every agency, listed before a judge — is
//! stored in a fresh SQLite file. Each view reads the case and its events from the store, then:
//! - baseline: keeps every item and folds them into the case state;
//! - authorized: asks the sharing policy about every item for one reader, keeps what is allowed
//!   and folds that. Items in the same position share one decision. Three figures: a view with
//!   nothing remembered (every distinct decision asked of Cedar); the first view of a second
//!   case of the same shape (its decisions remembered from the first case); and a view again.
//!
//! Views alternate between the two so both meet the same machine; medians are reported. The
//! audit record each real view also writes is a durable write of its own and is timed apart.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use joinery_app::{CaseView, MESSAGE_EXAMPLES, disclose, disclose_all};
use joinery_domain::{
    AgencyCode, AgencyKind, Asn, CanonicalMessage, CaseId, Reader, Role, Sequence, Submission,
    Timestamp, Username,
};
use joinery_policy::SharingPolicy;
use joinery_ports::{
    Actor, AppendOutcome, AuditAction, AuditDetail, AuditEvent, AuditStore, AuditSubject, CaseStore,
};
use joinery_store::SqlStore;

use crate::model_office;

/// The figures for one reader.
#[derive(Debug, Clone)]
pub struct CaseViewFigures {
    pub reader: String,
    pub items_visible: usize,
    pub baseline: Duration,
    /// A view whose decisions the policy remembers from an earlier view in the same context.
    pub authorized: Duration,
    /// A first view with nothing remembered: every distinct decision asked of Cedar.
    pub authorized_cold: Duration,
    /// The first view of a second case of the same shape, after the first case was viewed.
    pub another_case: Duration,
    pub cedar_evaluations: usize,
}

impl CaseViewFigures {
    /// How much authorization adds, as a fraction of the baseline (0.2 is 20%).
    pub fn overhead(&self) -> f64 {
        self.authorized.as_secs_f64() / self.baseline.as_secs_f64() - 1.0
    }

    pub fn overhead_cold(&self) -> f64 {
        self.authorized_cold.as_secs_f64() / self.baseline.as_secs_f64() - 1.0
    }

    pub fn overhead_another_case(&self) -> f64 {
        self.another_case.as_secs_f64() / self.baseline.as_secs_f64() - 1.0
    }
}

/// A case of `items` items cycling through every message type an agency system sends.
/// Case `number` of `items` items; cases differ in their references, not their shape.
fn case_of(number: u64, items: usize) -> anyhow::Result<Vec<CanonicalMessage>> {
    anyhow::ensure!(items >= 2, "a case needs at least 2 items");
    let asn = Asn::allocate("26", "05AA", "01", 900_000 + number)
        .ok_or_else(|| anyhow::anyhow!("no ASN for case {number}"))?;
    let urn = format!("05AA{:05}26", 90_000 + number);
    let templates: Vec<serde_json::Value> = MESSAGE_EXAMPLES
        .iter()
        .filter(|(kind, _)| kind.as_str() != "retraction")
        .map(|(_, text)| serde_json::from_str(text))
        .collect::<Result<_, _>>()?;
    let mut messages: Vec<CanonicalMessage> = Vec::with_capacity(items);
    let start = Timestamp::parse("2026-01-05T08:00:00Z").map_err(anyhow::Error::msg)?;
    for index in 0..items {
        let mut value = templates[index % templates.len()].clone();
        value["message_id"] = serde_json::json!(format!("BENCH-{number}-{index:04}"));
        value["case"] = serde_json::json!({ "urn": urn, "asn": asn });
        let at = start.after(Duration::from_secs(60 * 60 * u64::try_from(index)?));
        value["occurred_at"] = serde_json::json!(at.to_string());
        messages.push(serde_json::from_value(value)?);
    }
    let comment = serde_json::json!({"message_id": format!("BENCH-{number}-COMMENT"), "agency": "LVCJC",
        "system": "Joinery", "occurred_at": start.to_string(), "case": &messages[0].case,
        "type": "judicial_comment", "payload": {"author": "dj.roberts", "text": "A note."}});
    messages.pop();
    messages.push(serde_json::from_value(comment)?);
    Ok(messages)
}

pub(super) fn readers() -> anyhow::Result<Vec<(String, Reader)>> {
    let person = |name: &str, agency: &str, kind, role| -> anyhow::Result<(String, Reader)> {
        Ok((
            format!("{} ({agency})", role_name(role)),
            Reader::user(
                Username::parse(name)?,
                AgencyCode::parse(agency)?,
                kind,
                role,
            ),
        ))
    };
    Ok(vec![
        person(
            "pc.hughes",
            "MERPOL",
            AgencyKind::Police,
            Role::PoliceOfficer,
        )?,
        person(
            "po.walsh",
            "PROBNW",
            AgencyKind::Probation,
            Role::ProbationOfficer,
        )?,
        person("dj.roberts", "LVCJC", AgencyKind::Court, Role::Judge)?,
        person(
            "sw.kaur",
            "VOLDRG",
            AgencyKind::Voluntary,
            Role::SupportWorker,
        )?,
    ])
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

pub(super) fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Stores the case, then times `views` views per side for each reader. Also returns the median
/// time of writing one disclosure's audit record.
pub async fn case_view(
    items: usize,
    views: usize,
    dir: &std::path::Path,
) -> anyhow::Result<(Vec<CaseViewFigures>, Duration)> {
    let (store, state) = crate::server::open(
        &dir.join("case-view.sqlite"),
        SharingPolicy::builtin(),
        None,
    )
    .await?;
    for agency in model_office::agencies() {
        state.app.add_agency(agency).await?;
    }
    let case_id = store_case(&store, 1, items).await?;
    let other_case = store_case(&store, 2, items).await?;
    let policy = SharingPolicy::builtin();
    let mut figures = Vec::new();
    for (name, reader) in readers()? {
        let mut baseline = Vec::with_capacity(views);
        let mut authorized = Vec::with_capacity(views);
        let mut cold = Vec::with_capacity(views);
        let mut another = Vec::with_capacity(views);
        let mut visible = 0;
        let mut evaluations = 0;
        for _ in 0..views {
            let started = Instant::now();
            let view = baseline_view(&store, case_id).await?;
            baseline.push(started.elapsed());
            std::hint::black_box(view);
            policy.forget_decisions();
            let started = Instant::now();
            let (view, cedar) = authorized_view(&store, &policy, &reader, case_id).await?;
            cold.push(started.elapsed());
            evaluations = cedar;
            std::hint::black_box(view);
            let started = Instant::now();
            let (view, _) = authorized_view(&store, &policy, &reader, other_case).await?;
            another.push(started.elapsed());
            std::hint::black_box(view);
            let started = Instant::now();
            let (view, _) = authorized_view(&store, &policy, &reader, case_id).await?;
            authorized.push(started.elapsed());
            visible = view.items.len();
            std::hint::black_box(view);
        }
        figures.push(CaseViewFigures {
            reader: name,
            items_visible: visible,
            baseline: median(baseline),
            authorized: median(authorized),
            authorized_cold: median(cold),
            another_case: median(another),
            cedar_evaluations: evaluations,
        });
    }
    let mut audit = Vec::with_capacity(views.min(200));
    for _ in 0..views.min(200) {
        let started = Instant::now();
        store
            .audit(vec![AuditEvent {
                actor: Actor::Operator,
                action: AuditAction::CaseRead,
                subject: Some(AuditSubject::Case(case_id)),
                detail: AuditDetail::Disclosure {
                    role: Role::PoliceOfficer,
                    items: (1..=i64::try_from(items)?).map(Sequence::new).collect(),
                    summaries: Vec::new(),
                    policies: BTreeSet::new(),
                    break_glass: Vec::new(),
                    policy_version: String::new(),
                },
            }])
            .await?;
        audit.push(started.elapsed());
    }
    Ok((figures, median(audit)))
}

pub(super) async fn store_case(
    store: &SqlStore,
    number: u64,
    items: usize,
) -> anyhow::Result<CaseId> {
    let submissions = case_of(number, items)?
        .into_iter()
        .map(|message| {
            Ok(Submission::new(
                message.clone(),
                serde_json::to_string(&message)?,
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let outcomes = store.append(submissions).await?;
    match outcomes.first() {
        Some(AppendOutcome::Accepted { case_id, .. }) => Ok(*case_id),
        other => anyhow::bail!("the benchmark case was not stored: {other:?}"),
    }
}

async fn baseline_view(store: &SqlStore, id: CaseId) -> anyhow::Result<CaseView> {
    let (record, entries) = store
        .case_history(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no case"))?;
    Ok(CaseView::assemble(
        id,
        disclose_all(entries),
        &record.state,
        Timestamp::now(),
    ))
}

async fn authorized_view(
    store: &SqlStore,
    policy: &SharingPolicy,
    reader: &Reader,
    id: CaseId,
) -> anyhow::Result<(CaseView, usize)> {
    let (record, entries) = store
        .case_history(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no case"))?;
    let grants = BTreeSet::new();
    let (items, disclosure) = disclose(policy, reader, &record.state, &grants, entries)?;
    Ok((
        CaseView::assemble(id, items, &record.state, Timestamp::now()),
        disclosure.cedar_evaluations,
    ))
}
