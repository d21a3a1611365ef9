//! The application layer's store ports, implemented on SQLite: each method a unit of work on
//! the writer's queue (in the group commit, or a transaction with its audit entry) or on a
//! read-only connection.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use joinery_domain::measures::{DayCounts, Measure, Month, Scope, Week};
use joinery_domain::search::PersonKey;
use joinery_domain::{
    ActionId, AgencyCode, CaseFacts, CaseId, Category, ExceptionId, HearingId, MessageFormat,
    Sequence, Submission, Timestamp, UnplacedId, Username,
};
use joinery_ports::{
    AccessChange, Claim, GrantReview, LoggedGrant, Person, Resulting, WorkQuery, WorkSlice,
    WorkStore,
};
use joinery_ports::{
    AccountStore, Admission, Agency, AppendOutcome, AuditEntry, AuditEvent, AuditStore,
    AuditVerdict, Backoff, BreakGlassGrant, CaseHistory, CaseLookup, CaseRecord, CaseStore,
    CaseloadPage, CaseloadRows, CaseloadSlice, Change, CourtDay, DayList, Delivery,
    ExceptionRecord, KeyHash, NewUser, OpenRow, PasswordDigest, RejectedField, RejectionRecord,
    Rooms, SessionRecord, SourceMessage, StoreFuture, TallyRow, TimelineEntry, UserRecord, Webhook,
    WebhookStore,
};
use joinery_ports::{Placed, Resolution, ResolutionRecord, UnplacedMessage, UnplacedRecord};

use super::{
    Command, SqlStore, break_glass, caseload_page, measures, people, read, registry, sources,
    unplaced, webhooks, work,
};

impl CaseStore for SqlStore {
    fn append(&self, group: Vec<Submission>) -> StoreFuture<'_, Vec<AppendOutcome>> {
        Box::pin(self.group_commit(|reply| Command::Append(group, reply)))
    }

    fn append_source(
        &self,
        source: SourceMessage,
        events: Vec<Submission>,
    ) -> StoreFuture<'_, Vec<AppendOutcome>> {
        Box::pin(self.group_commit(|reply| Command::Source(Box::new(source), events, reply)))
    }

    fn find_case(&self, lookup: CaseLookup) -> StoreFuture<'_, Option<CaseId>> {
        Box::pin(self.read(move |connection| read::find_case(connection, &lookup)))
    }

    fn cases_of_person(&self, key: PersonKey, limit: usize) -> StoreFuture<'_, Vec<CaseId>> {
        Box::pin(self.read(move |connection| read::cases_of_person(connection, &key, limit)))
    }

    fn case(&self, id: CaseId) -> StoreFuture<'_, Option<CaseRecord>> {
        Box::pin(self.read(move |connection| read::case(connection, id)))
    }

    fn measures_version(&self, measure: Measure, from: Month, to: Month) -> StoreFuture<'_, u64> {
        Box::pin(self.read(move |connection| measures::version(connection, measure, from, to)))
    }

    fn tallies(&self, measure: Measure, from: Month, to: Month) -> StoreFuture<'_, Vec<TallyRow>> {
        Box::pin(
            self.read(move |connection| measures::tallies_between(connection, measure, from, to)),
        )
    }

    fn open_tallies(&self, measure: Measure, today: time::Date) -> StoreFuture<'_, Vec<OpenRow>> {
        Box::pin(self.read(move |connection| measures::open_between(connection, measure, today)))
    }

    fn open_version(&self, measure: Measure) -> StoreFuture<'_, u64> {
        Box::pin(self.read(move |connection| measures::open_version(connection, measure)))
    }

    fn timeliness(
        &self,
        measure: Measure,
        from: Month,
        to: Month,
        scope: Scope,
    ) -> StoreFuture<'_, BTreeMap<(Month, Week), DayCounts>> {
        Box::pin(
            self.read(move |connection| {
                measures::timeliness(connection, measure, from, to, &scope)
            }),
        )
    }

    fn timeline(&self, id: CaseId) -> StoreFuture<'_, Vec<TimelineEntry>> {
        Box::pin(self.read(move |connection| read::timeline(connection, id)))
    }

    fn case_history(
        &self,
        id: CaseId,
    ) -> StoreFuture<'_, Option<(CaseRecord, Vec<TimelineEntry>)>> {
        Box::pin(self.read(move |connection| {
            let tx = connection.unchecked_transaction()?;
            read::history(&tx, id)
        }))
    }

    fn case_histories(&self, ids: Vec<CaseId>) -> StoreFuture<'_, Vec<Option<CaseHistory>>> {
        Box::pin(self.read(move |connection| {
            let tx = connection.unchecked_transaction()?;
            read::histories(&tx, &ids)
        }))
    }

    fn agency_case_histories(
        &self,
        agency: AgencyCode,
    ) -> StoreFuture<'_, Vec<(CaseRecord, Vec<TimelineEntry>)>> {
        Box::pin(self.read(move |connection| {
            let tx = connection.unchecked_transaction()?;
            let mut histories = Vec::new();
            for id in read::cases_of_agency(&tx, &agency)? {
                histories.extend(read::history(&tx, id)?);
            }
            Ok(histories)
        }))
    }

    fn keep_caseloads(&self, rows: Arc<dyn CaseloadRows>) -> StoreFuture<'_, ()> {
        let replace = self
            .inner
            .replace_agreement
            .load(std::sync::atomic::Ordering::Relaxed);
        Box::pin(self.command(move |reply| Command::Caseloads(rows, replace, reply)))
    }

    fn refresh_caseloads(&self, list: DayList) -> StoreFuture<'_, ()> {
        Box::pin(self.command(|reply| Command::Refresh(list, reply)))
    }

    fn caseload(&self, page: CaseloadPage) -> StoreFuture<'_, CaseloadSlice> {
        // One snapshot for the page's rows and its count (on PostgreSQL, the cases are then
        // walked by a cursor, a page of rows at a time).
        Box::pin(self.read(move |connection| {
            let tx = connection.unchecked_transaction()?;
            caseload_page::page(&tx, &page)
        }))
    }

    fn judge_days_around(
        &self,
        judge: Username,
        date: time::Date,
    ) -> StoreFuture<'_, (Option<time::Date>, Option<time::Date>)> {
        Box::pin(self.read(move |connection| read::judge_days_around(connection, &judge, date)))
    }

    fn cases_heard_on(&self, date: time::Date, list: DayList) -> StoreFuture<'_, Vec<CaseRecord>> {
        Box::pin(self.read(move |connection| read::cases_heard_on(connection, date, &list)))
    }

    fn court_day(
        &self,
        date: time::Date,
        list: DayList,
        rooms: Rooms,
    ) -> StoreFuture<'_, CourtDay> {
        Box::pin(self.read(move |connection| {
            let tx = connection.unchecked_transaction()?;
            let records = read::cases_heard_on(&tx, date, &list)?;
            let (sittings, records) = read::in_room(records, date, rooms);
            let ids: Vec<CaseId> = records.iter().map(|record| record.id).collect();
            let cases = records
                .into_iter()
                .zip(read::timelines(&tx, &ids)?)
                .collect();
            Ok(CourtDay { sittings, cases })
        }))
    }

    fn changes_after(&self, after: Sequence, limit: usize) -> StoreFuture<'_, Vec<Change>> {
        Box::pin(self.read(move |connection| read::changes_after(connection, after, limit)))
    }

    fn agency_changes_after(
        &self,
        agency: AgencyCode,
        after: Sequence,
        limit: usize,
    ) -> StoreFuture<'_, Vec<(Change, CaseFacts)>> {
        Box::pin(
            self.read(move |connection| {
                read::agency_changes_after(connection, &agency, after, limit)
            }),
        )
    }

    fn exceptions(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<ExceptionRecord>> {
        Box::pin(self.read(move |connection| sources::exceptions(connection, &agency)))
    }

    fn case_exceptions(
        &self,
        agency: AgencyCode,
        case: CaseId,
    ) -> StoreFuture<'_, Vec<ExceptionRecord>> {
        Box::pin(self.read(move |connection| sources::case_exceptions(connection, &agency, case)))
    }

    fn resolve_exception(
        &self,
        agency: AgencyCode,
        id: ExceptionId,
        resolution: Resolution,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.write_audited(audit, move |connection| {
            sources::resolve_exception(connection, &agency, id, &resolution)
        }))
    }

    fn resolutions(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<ResolutionRecord>> {
        Box::pin(self.read(move |connection| sources::resolutions(connection, &agency)))
    }

    fn record_rejections(
        &self,
        agency: AgencyCode,
        format: MessageFormat,
        rejections: Vec<Vec<RejectedField>>,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            sources::record_rejections(connection, &agency, format, &rejections)
        }))
    }

    fn rejections(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<RejectionRecord>> {
        Box::pin(self.read(move |connection| sources::rejections(connection, &agency)))
    }

    fn keep_unplaced(&self, message: UnplacedMessage) -> StoreFuture<'_, (UnplacedId, bool)> {
        Box::pin(self.write(move |connection| unplaced::keep(connection, &message)))
    }

    fn unplaced(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<UnplacedRecord>> {
        Box::pin(self.read(move |connection| unplaced::open(connection, &agency)))
    }

    fn unplaced_message(
        &self,
        agency: AgencyCode,
        id: UnplacedId,
    ) -> StoreFuture<'_, Option<(UnplacedRecord, String)>> {
        Box::pin(self.read(move |connection| unplaced::one(connection, &agency, id)))
    }

    fn record_placement(
        &self,
        agency: AgencyCode,
        id: UnplacedId,
        placed: Placed,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.write_audited(audit, move |connection| {
            unplaced::place(connection, &agency, id, &placed)
        }))
    }
}

impl AccountStore for SqlStore {
    fn add_agency(&self, agency: Agency, audit: AuditEvent) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            registry::add_agency(connection, &agency)
        }))
    }

    fn agencies(&self) -> StoreFuture<'_, Vec<Agency>> {
        Box::pin(self.read(read::agencies))
    }

    fn add_api_key(
        &self,
        agency: AgencyCode,
        key: KeyHash,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            registry::add_api_key(connection, &agency, key)
        }))
    }

    fn agency_for_key(&self, key: KeyHash) -> StoreFuture<'_, Option<Agency>> {
        Box::pin(self.read(move |connection| read::agency_for_key(connection, key)))
    }

    fn add_user(&self, user: NewUser, audit: AuditEvent) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| people::add_user(connection, &user)))
    }

    fn user(&self, username: Username) -> StoreFuture<'_, Option<UserRecord>> {
        Box::pin(self.read(move |connection| people::user(connection, &username)))
    }

    fn admit_sign_in(&self, username: Username, backoff: Backoff) -> StoreFuture<'_, Admission> {
        Box::pin(
            self.write(move |connection| people::admit_sign_in(connection, &username, &backoff)),
        )
    }

    fn sign_in_succeeded(
        &self,
        username: Username,
        session: KeyHash,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            people::sign_in_succeeded(connection, &username, session)
        }))
    }

    fn session(&self, token: KeyHash) -> StoreFuture<'_, Option<SessionRecord>> {
        Box::pin(self.read(move |connection| people::session(connection, token)))
    }

    fn touch_session(&self, token: KeyHash) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |connection| people::touch_session(connection, token)))
    }

    fn end_session(&self, token: KeyHash, audit: AuditEvent) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            people::end_session(connection, token)
        }))
    }

    fn set_password(
        &self,
        username: Username,
        password: PasswordDigest,
        keep: KeyHash,
        audit: AuditEvent,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            people::set_password(connection, &username, &password, keep)
        }))
    }

    fn grant_break_glass(&self, grant: BreakGlassGrant, audit: AuditEvent) -> StoreFuture<'_, ()> {
        Box::pin(self.write_audited(audit, move |connection| {
            break_glass::grant_break_glass(connection, &grant)
        }))
    }

    fn break_glass_in_force(
        &self,
        username: Username,
        case: CaseId,
        now: Timestamp,
    ) -> StoreFuture<'_, BTreeSet<Category>> {
        Box::pin(self.read(move |connection| {
            break_glass::break_glass_in_force(connection, &username, case, now)
        }))
    }

    fn break_glass_in_force_anywhere(
        &self,
        username: Username,
        now: Timestamp,
    ) -> StoreFuture<'_, BTreeMap<CaseId, BTreeSet<Category>>> {
        Box::pin(self.read(move |connection| {
            break_glass::break_glass_in_force_anywhere(connection, &username, now)
        }))
    }

    fn people(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<Person>> {
        Box::pin(self.read(move |connection| people::people_of(connection, &agency)))
    }

    fn change_access(
        &self,
        username: Username,
        agency: AgencyCode,
        change: AccessChange,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.write(move |connection| {
            let mut appender = super::append::Appender::begin(connection)?;
            let changed = people::change_access(appender.connection(), &username, &agency, change)?;
            if changed {
                appender.record(&[audit])?;
                appender.commit(None)?;
            }
            Ok(changed)
        }))
    }

    fn break_glass_log(&self, to_review: bool) -> StoreFuture<'_, Vec<LoggedGrant>> {
        Box::pin(self.read(move |connection| break_glass::break_glass_log(connection, to_review)))
    }

    fn review_break_glass(
        &self,
        id: i64,
        review: GrantReview,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.write(move |connection| {
            break_glass::review_break_glass(connection, id, &review, audit)
        }))
    }
}

impl AuditStore for SqlStore {
    fn audit(&self, events: Vec<AuditEvent>) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.group_commit(|reply| Command::Audit(events, reply))
                .await
                .map(|_| ())
        })
    }

    fn verify_audit(&self) -> StoreFuture<'_, AuditVerdict> {
        Box::pin(self.read(read::verify_audit))
    }

    fn case_audit(&self, id: CaseId) -> StoreFuture<'_, Vec<AuditEntry>> {
        Box::pin(self.read(move |connection| people::case_audit(connection, id)))
    }
}

impl WebhookStore for SqlStore {
    fn add_webhook(
        &self,
        agency: AgencyCode,
        url: String,
        secret: String,
        audit: AuditEvent,
    ) -> StoreFuture<'_, i64> {
        Box::pin(self.write_audited(audit, move |connection| {
            webhooks::add(connection, &agency, &url, &secret)
        }))
    }

    fn webhooks(&self) -> StoreFuture<'_, Vec<Webhook>> {
        Box::pin(self.read(webhooks::all))
    }

    fn remove_webhook(
        &self,
        agency: AgencyCode,
        id: i64,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.write_audited(audit, move |connection| {
            webhooks::remove(connection, &agency, id)
        }))
    }

    fn record_delivery(
        &self,
        delivery: Delivery,
        delivered_to: Option<Sequence>,
        retry_at: Option<Timestamp>,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |connection| {
            let tx =
                connection.transaction_with_behavior(crate::db::TransactionBehavior::Immediate)?;
            webhooks::record(&tx, &delivery, delivered_to, retry_at)?;
            tx.commit()?;
            Ok(())
        }))
    }

    fn lease_due_webhooks(
        &self,
        now: Timestamp,
        until: Timestamp,
    ) -> StoreFuture<'_, Vec<Webhook>> {
        Box::pin(self.write(move |connection| webhooks::lease_due(connection, now, until)))
    }

    fn release_webhook(&self, id: i64) -> StoreFuture<'_, ()> {
        Box::pin(self.write(move |connection| webhooks::release(connection, id)))
    }

    fn deliveries(&self, agency: AgencyCode) -> StoreFuture<'_, Vec<Delivery>> {
        Box::pin(self.read(move |connection| webhooks::deliveries(connection, &agency)))
    }
}

impl WorkStore for SqlStore {
    fn work(&self, query: WorkQuery) -> StoreFuture<'_, WorkSlice> {
        Box::pin(self.read(move |connection| work::work(connection, &query)))
    }

    fn claim_work(
        &self,
        case: CaseId,
        action: ActionId,
        who: Username,
        at: Timestamp,
        audit: AuditEvent,
    ) -> StoreFuture<'_, Claim> {
        Box::pin(
            self.write(move |connection| work::claim(connection, (case, &action), &who, at, audit)),
        )
    }

    fn resulting(&self, hearings: Vec<(CaseId, HearingId)>) -> StoreFuture<'_, Resulting> {
        Box::pin(self.read(move |connection| work::resulting(connection, &hearings)))
    }

    fn start_resulting(
        &self,
        case: CaseId,
        hearing: HearingId,
        who: Username,
        at: Timestamp,
        audit: AuditEvent,
    ) -> StoreFuture<'_, Claim> {
        Box::pin(self.write(move |connection| {
            work::start_resulting(connection, (case, &hearing), &who, at, audit)
        }))
    }

    fn stop_resulting(
        &self,
        case: CaseId,
        hearing: HearingId,
        who: Username,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.write(move |connection| {
            work::stop_resulting(connection, (case, &hearing), &who, audit)
        }))
    }

    fn release_work(
        &self,
        case: CaseId,
        action: ActionId,
        who: Username,
        audit: AuditEvent,
    ) -> StoreFuture<'_, bool> {
        Box::pin(
            self.write(move |connection| work::release(connection, (case, &action), &who, audit)),
        )
    }
}
