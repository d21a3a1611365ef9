#!/usr/bin/env python3
"""Management information side by side: each report's question answered by Joinery (its
/api/v1/measures answer from a running server, kept as messages arrived) and by DuckDB over the
facts `joinery export` wrote, with the numbers checked equal and both times printed.

    pip install duckdb          # used by this benchmark alone
    joinery export --database DIR/joinery.sqlite --out /tmp/facts.csv
    joinery serve --database DIR/joinery.sqlite &
    python3 bench/measures_duckdb.py --facts /tmp/facts.csv \
        --credentials DIR/demo-credentials.json --person analyst.national

Joinery's numbers are protected (a count under the threshold, or one that would give such a
count away, is "[c]"); every number it shows must equal DuckDB's, and every "[c]" must stand
for a count DuckDB finds under the threshold or one beside it in its line. DuckDB answers from
an in-memory table loaded before the clock starts: its best case.
"""

import argparse
import datetime
import json
import math
import statistics
import sys
import time
import urllib.parse
import urllib.request

import duckdb

INTERVALS = [
    "offence_to_charge",
    "charge_to_first_listing",
    "first_listing_to_completion",
    "completion_to_sentence",
    "offence_to_completion",
]


KINDS = [
    "pre_sentence_report",
    "charging_decision",
    "full_file",
    "antecedents",
    "risk_assessment",
    "referral",
    "other",
]

# Each open measure's bands: the fewest days back from today of each band after the first.
BANDS = {
    "open_work": [1, 8, 29, 92],
    "open_cases": [92, 183, 366],
    "idle": [29, 57, 92],
    "open_exceptions": [8, 29, 92],
}

MILESTONES = ["began", "charged", "first_listed", "completed", "sentenced"]


def band_sql(measure):
    """The band of a fact's day, counted back from today (the first parameter)."""
    return "(" + " + ".join(
        f"CAST(date_diff('day', day, ?::DATE) >= {fewest} AS INTEGER)"
        for fewest in BANDS[measure]
    ) + ")"


# Whether the period asked is kept by `week` (an ISO week, `YYYY-Www`) or by `month` (a month
# or a quarter's months): set by `duck_answer` for the queries of one answer.
PERIOD_COLUMN = "month"


def week_string(day):
    year, week, _ = day.isocalendar()
    return f"{year:04}-W{week:02}"


def months_of(period):
    """The months of `YYYY-MM` or `YYYY-Qn` (or the week of `YYYY-Www`), and of the period
    before; for a week, the month its Sunday falls in last (where a cumulative flow ends)."""
    if "W" in period:
        year, week = int(period[:4]), int(period[6:8])
        monday = datetime.date.fromisocalendar(year, week, 1)
        sunday = monday + datetime.timedelta(days=6)
        before = week_string(monday - datetime.timedelta(days=7))
        return [period], [before], sunday.strftime("%Y-%m")
    if "Q" in period:
        year, quarter = int(period[:4]), int(period[-1])
        first = (quarter - 1) * 3 + 1
        now = [f"{year:04}-{first + i:02}" for i in range(3)]
        prev_year, prev_quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        prev_first = (prev_quarter - 1) * 3 + 1
        before = [f"{prev_year:04}-{prev_first + i:02}" for i in range(3)]
    else:
        year, month = int(period[:4]), int(period[5:7])
        now = [period]
        before = [f"{year - 1:04}-12" if month == 1 else f"{year:04}-{month - 1:02}"]
    return now, before, now[-1]


class Joinery:
    def __init__(self, base, username, password):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener()
        body = json.dumps({"username": username, "password": password}).encode()
        request = urllib.request.Request(
            f"{self.base}/api/v1/session",
            data=body,
            headers={"content-type": "application/json"},
        )
        with self.opener.open(request) as answer:
            # The session cookie is `Secure`; over plain http to this machine, send it by hand.
            cookie = answer.headers["set-cookie"].split(";")[0]
        self.opener.addheaders = [("cookie", cookie)]

    def report(self, name, period, scope):
        query = urllib.parse.urlencode(
            {"period": period, **{place: scope.get(place) or "" for place in FILTERS}}
        )
        with self.opener.open(f"{self.base}/api/v1/measures/{name}?{query}") as answer:
            return json.load(answer)


# What a report is narrowed by: the places a case counts at, and its principal offence's type.
FILTERS = ("court", "force", "prosecutor", "probation", "offence_type")


def scope_sql(scope):
    where, args = [], []
    for column in FILTERS:
        if scope.get(column):
            where.append(f"{column} = ?")
            args.append(scope[column])
    return "".join(f" AND {w}" for w in where), args


def duck_answer(db, name, period, scope):
    """The same question of DuckDB: {(table, key, column): number}."""
    global PERIOD_COLUMN
    PERIOD_COLUMN = "week" if "W" in period else "month"
    now, before, last_month = months_of(period)
    if name == "data_quality":
        # A data-quality problem has no offence type: Joinery shows every one, and says so.
        scope = {**scope, "offence_type": None}
    extra, args = scope_sql(scope)
    answer = {}
    if name == "timeliness":
        sql = (
            f"SELECT measure, CASE WHEN {PERIOD_COLUMN} IN (SELECT unnest(?)) THEN 0 ELSE 1 END AS p, "
            "count(*) AS n, "
            "list_sort(list(days))[CAST(ceil(count(*) * 0.5) AS BIGINT)] AS median, "
            "list_sort(list(days))[CAST(ceil(count(*) * 0.9) AS BIGINT)] AS p90 "
            f"FROM facts WHERE measure IN (SELECT unnest(?)) AND {PERIOD_COLUMN} IN (SELECT unnest(?))"
            + extra
            + " GROUP BY ALL"
        )
        for measure, p, n, median, p90 in db.execute(
            sql, [now, INTERVALS, now + before] + args
        ).fetchall():
            answer[("timeliness", measure, 3 * p)] = n
            answer[("timeliness", measure, 1 + 3 * p)] = median
            if p == 0:
                answer[("timeliness", measure, 2)] = p90
        return answer
    if name in ("blockages", "caseload", "data_quality"):
        return duck_open(db, name, last_month, now, before, extra, args)
    measure = name
    groupings = {
        "trials": [("trials", "value"), ("trial-reasons", "value, detail")],
        "adjournments": [("adjournments", "value"), ("adjournments-by-side", "detail")],
    }[name]
    for table, columns in groupings:
        sql = (
            f"SELECT {columns}, CASE WHEN {PERIOD_COLUMN} IN (SELECT unnest(?)) THEN 0 ELSE 1 "
            f"END AS p, count(*) FROM facts WHERE measure = ? AND {PERIOD_COLUMN} IN "
            "(SELECT unnest(?))"
            + extra
            + " GROUP BY ALL"
        )
        rows = db.execute(sql, [now, measure, now + before] + args).fetchall()
        total = {0: 0, 1: 0}
        for row in rows:
            *keys, p, n = row
            key = keys[-1]
            if table == "trial-reasons":
                if key == "":
                    continue
                key = f"{keys[0]}|{key}"
            else:
                total[p] += n
            answer[(table, key, 2 * p)] = answer.get((table, key, 2 * p), 0) + n
        if table in ("trials", "adjournments", "adjournments-by-side"):
            for p in (0, 1):
                answer[(table, "all", 2 * p)] = total[p]
    return answer


def banded(db, answer, table, measure, key, extra, args, today):
    """A table of rows by `key` (value or detail) with a column for each band and for all."""
    width = len(BANDS[measure]) + 1
    sql = (
        f"SELECT {key}, {band_sql(measure)} AS band, count(*) FROM facts "
        "WHERE measure = ?" + extra + " GROUP BY ALL"
    )
    params = [today] * len(BANDS[measure]) + [measure] + args
    for row_key, band, n in db.execute(sql, params).fetchall():
        for k in (row_key, "all"):
            for column in (band, width):
                answer[(table, k, column)] = answer.get((table, k, column), 0) + n


def quantiles(db, answer, table, key, measure, months, extra, args, columns):
    """Count, median and 90th percentile days (nearest rank) of `measure` in `months`."""
    sql = (
        "SELECT count(*), "
        "list_sort(list(days))[CAST(ceil(count(*) * 0.5) AS BIGINT)], "
        "list_sort(list(days))[CAST(ceil(count(*) * 0.9) AS BIGINT)] "
        f"FROM facts WHERE measure = ? AND {PERIOD_COLUMN} IN (SELECT unnest(?))" + extra
    )
    n, median, p90 = db.execute(sql, [measure, months] + args).fetchone()
    for column, value in zip(columns, (n, median, p90)):
        if column is not None:
            answer[(table, key, column)] = value


def counted(db, answer, table, measure, key, months_by_p, extra, args, columns):
    """Counts of `measure` by `key` (and all) in the period and the one before."""
    now, before = months_by_p
    sql = (
        f"SELECT {key}, CASE WHEN {PERIOD_COLUMN} IN (SELECT unnest(?)) THEN 0 ELSE 1 END AS p, "
        f"count(*) FROM facts WHERE measure = ? AND {PERIOD_COLUMN} IN (SELECT unnest(?))"
        + extra + " GROUP BY ALL"
    )
    for row_key, p, n in db.execute(sql, [now, measure, now + before] + args).fetchall():
        for k in (row_key, "all"):
            answer[(table, k, columns[p])] = answer.get((table, k, columns[p]), 0) + n


def duck_open(db, name, last_month, now, before, extra, args):
    """Work waiting, the open caseload and data quality: what is open counted back from
    today, beside what happened in the period."""
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    answer = {}
    if name == "blockages":
        banded(db, answer, "work-waiting", "open_work", "'x'", extra, args, today)
        # The first table has the bands as rows, one column of counts.
        for band in range(len(BANDS["open_work"]) + 1):
            answer[("work-waiting", f"band-{band}", 0)] = answer.pop(
                ("work-waiting", "x", band), 0
            )
        answer[("work-waiting", "all", 0)] = answer.pop(
            ("work-waiting", "all", len(BANDS["open_work"]) + 1), 0
        )
        banded(db, answer, "work-waiting-by-agency", "open_work", "detail", extra, args, today)
        banded(db, answer, "work-waiting-by-kind", "open_work", "value", extra, args, today)
        for kind in KINDS:
            for months, columns in ((now, (0, 2, 3)), (before, (4, 5, None))):
                quantiles(db, answer, "turnaround", kind, f"turnaround_{kind}",
                          months, extra, args, columns)
    elif name == "caseload":
        banded(db, answer, "open-cases", "open_cases", "value", extra, args, today)
        banded(db, answer, "idle-cases", "idle", "value", extra, args, today)
        banded(db, answer, "idle-by-holder", "idle", "detail", extra, args, today)
        year, month = int(last_month[:4]), int(last_month[5:7])
        months = []
        for _ in range(12):
            months.append(f"{year:04}-{month:02}")
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.reverse()
        sql = (
            "SELECT month, value, count(*) FROM facts WHERE measure = 'reached' "
            "AND month IN (SELECT unnest(?))" + extra + " GROUP BY ALL"
        )
        flow = {(m, v): n for m, v, n in db.execute(sql, [months] + args).fetchall()}
        running = [0] * len(MILESTONES)
        for m in months:
            for column, milestone in enumerate(MILESTONES):
                n = flow.get((m, milestone), 0)
                running[column] += n
                answer[("flow", m, column)] = n
                answer[("flow-cumulative", m, column)] = running[column]
    else:
        counted(db, answer, "problems-by-code", "exceptions", "detail", (now, before),
                extra, args, (0, 2))
        counted(db, answer, "problems-by-sender", "exceptions", "value", (now, before),
                extra, args, (0, 2))
        quantiles(db, answer, "problems-resolved", "all", "exceptions_resolved", now,
                  extra, args, (0, 1, 2))
        quantiles(db, answer, "problems-resolved", "all", "exceptions_resolved", before,
                  extra, args, (3, 4, None))
        banded(db, answer, "problems-open", "open_exceptions", "value", extra, args, today)
    return answer


def compare(report, duck, threshold):
    """(numbers equal, suppressed), or raises with the first number that differs."""
    equal = suppressed = 0
    for table in report["tables"]:
        for row in table["rows"]:
            for column, cell in enumerate(row["cells"]):
                label = table["columns"][column]
                if (
                    "Share" in label
                    or "Change" in label
                    or "by the day due" in label
                    or cell is None
                ):
                    continue
                key = row["key"]
                want = duck.get((table["name"], key, column), 0)
                if cell == "[c]":
                    suppressed += 1
                    continue
                if cell != want:
                    raise SystemExit(
                        f"{report['report']} {report['period']} {table['name']} "
                        f"{row['key']} {label}: Joinery {cell}, DuckDB {want}"
                    )
                equal += 1
    return equal, suppressed


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", required=True, help="the CSV `joinery export` wrote")
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--credentials", required=True, help="demo-credentials.json")
    parser.add_argument("--person", default="analyst.national")
    parser.add_argument(
        "--period", action="append", help="YYYY-Www, YYYY-MM or YYYY-Qn (repeat)"
    )
    parser.add_argument("--court", help="a court to ask about besides the country")
    parser.add_argument("--force", help="a police force to ask about besides the country")
    parser.add_argument("--prosecutor", help="a CPS area to ask about besides the country")
    parser.add_argument(
        "--probation", help="a probation service to ask about besides the country"
    )
    parser.add_argument(
        "--offence-type", help="an offence type to ask about, in the country and at the court"
    )
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    with open(args.credentials) as file:
        people = json.load(file)["users"]
    person = next(p for p in people if p["username"] == args.person)
    joinery = Joinery(args.base, person["username"], person["password"])

    db = duckdb.connect()
    started = time.perf_counter()
    db.execute(
        # An empty value or detail is read as NULL; the cells name it as empty.
        "CREATE TABLE facts AS SELECT measure, day, month, "
        "printf('%04d-W%02d', isoyear(day), week(day)) AS week, court, force, prosecutor, "
        "probation, offence_type, "
        "coalesce(value, '') AS value, coalesce(detail, '') AS detail, days "
        "FROM read_csv(?, header = true, "
        "columns = {'measure': 'VARCHAR', 'day': 'DATE', 'month': 'VARCHAR', "
        "'court': 'VARCHAR', 'force': 'VARCHAR', 'prosecutor': 'VARCHAR', "
        "'probation': 'VARCHAR', 'offence_type': 'VARCHAR', "
        "'value': 'VARCHAR', 'detail': 'VARCHAR', "
        "'days': 'BIGINT'})",
        [args.facts],
    )
    facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    print(f"DuckDB {duckdb.__version__}: loaded {facts:,} facts in {time.perf_counter() - started:.1f} s")

    periods = args.period or [
        db.execute("SELECT max(month) FROM facts").fetchone()[0][:4] + "-Q1"
    ]
    scopes = [{}]
    for place in ("court", "force", "prosecutor", "probation"):
        if getattr(args, place):
            scopes.append({place: getattr(args, place)})
    if args.court and args.force:
        scopes.append({"court": args.court, "force": args.force})
    if args.prosecutor and args.probation:
        scopes.append({"prosecutor": args.prosecutor, "probation": args.probation})
    if args.offence_type:
        scopes.append({"offence_type": args.offence_type})
        if args.court:
            scopes.append({"court": args.court, "offence_type": args.offence_type})
        if args.probation:
            scopes.append({"probation": args.probation, "offence_type": args.offence_type})
    print(
        f"{'report':<13} {'period':<8} {'scope':<40} {'equal':>6} {'[c]':>5} "
        f"{'Joinery p50':>12} {'p99':>8} {'DuckDB p50':>11} {'p99':>8} {'ratio p50':>10}"
    )
    ratios = []
    for name in ("timeliness", "trials", "adjournments", "blockages", "caseload", "data_quality"):
        for period in periods:
            for scope in scopes:
                report = joinery.report(name, period, scope)
                duck = duck_answer(db, name, period, scope)
                equal, suppressed = compare(report, duck, report["threshold"])
                joinery_ms, duck_ms = [], []
                for _ in range(args.rounds):
                    # Alternate which goes first, so neither always meets a warm cache.
                    for side in ("joinery", "duck") if len(joinery_ms) % 2 == 0 else ("duck", "joinery"):
                        clock = time.perf_counter()
                        if side == "joinery":
                            joinery.report(name, period, scope)
                            joinery_ms.append((time.perf_counter() - clock) * 1000)
                        else:
                            duck_answer(db, name, period, scope)
                            duck_ms.append((time.perf_counter() - clock) * 1000)
                j50, d50 = statistics.median(joinery_ms), statistics.median(duck_ms)
                ratio = d50 / j50
                ratios.append(ratio)
                named = "+".join(scope[f] for f in FILTERS if scope.get(f)) or "England and Wales"
                print(
                    f"{name:<13} {period:<8} {named:<40} {equal:>6} {suppressed:>5} "
                    f"{j50:>9.1f} ms {percentile(joinery_ms, 0.99):>5.1f} ms "
                    f"{d50:>8.1f} ms {percentile(duck_ms, 0.99):>5.1f} ms {ratio:>9.2f}x"
                )
    print(
        f"every number Joinery showed equals DuckDB's; DuckDB takes {min(ratios):.2f}x to "
        f"{max(ratios):.2f}x Joinery's time (median of rounds; above 1: Joinery is faster)"
    )


if __name__ == "__main__":
    sys.exit(main())
