#!/usr/bin/env python3
"""Read throughput of one `joinery serve` against three on the same PostgreSQL database: the
same load (wrk, the same connections in all, each request an agency reading its feed's first
page over HTTP with its key — authorised, decided and audited like any read) sent first to one
server, then spread over three. It prints requests a second and latency for each, and their
ratio. Needs `wrk` (Debian's package) and a year on PostgreSQL (`joinery generate --database`).

  cargo build --release -p joinery
  python3 scripts/read_throughput.py --database postgres://postgres@127.0.0.1:5432/national \\
      --credentials /tmp/national-pg/demo-credentials.json
"""

import argparse
import json
import re
import subprocess
import urllib.request

import joinery_servers

PORTS = (18281, 18282, 18283)


def load(bases, key, path, connections, seconds):
    """Runs three wrk processes, one per slice of the connections, on `bases` in turn."""
    runs = []
    for index in range(3):
        base = bases[index % len(bases)]
        runs.append(subprocess.Popen(
            ["wrk", "-t1", f"-c{max(1, connections // 3)}", f"-d{seconds}s", "--latency",
             "-H", f"authorization: Bearer {key}", f"{base}{path}"],
            stdout=subprocess.PIPE, text=True))
    rate, p50, p99, non_2xx = 0.0, [], [], 0
    for run in runs:
        out, _ = run.communicate()
        rate += float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50.append(milliseconds(re.search(r"^\s+50%\s+(\S+)$", out, re.M).group(1)))
        p99.append(milliseconds(re.search(r"^\s+99%\s+(\S+)$", out, re.M).group(1)))
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        non_2xx += int(bad.group(1)) if bad else 0
    return rate, max(p50), max(p99), non_2xx


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--joinery", default="target/release/joinery")
    parser.add_argument("--database", required=True, help="postgres://… holding a year")
    parser.add_argument("--credentials", required=True, help="the year's demo-credentials.json")
    parser.add_argument("--agency", default="METPOL")
    parser.add_argument("--path", default="/api/v1/feed")
    parser.add_argument("--connections", type=int, default=24)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()

    credentials = json.load(open(args.credentials))
    key = next(a["api_key"] for a in credentials["agencies"] if a["agency"] == args.agency)
    figures = {}
    for count in (1, 3):
        servers = joinery_servers.start(args.joinery, args.database, PORTS[:count],
                                        "/tmp/joinery_read")
        try:
            bases = [base for base, _ in servers]
            for base in bases:  # warm: caches, connections, the server's first grids
                for _ in range(20):
                    request = urllib.request.Request(
                        f"{base}{args.path}", headers={"authorization": f"Bearer {key}"})
                    urllib.request.urlopen(request, timeout=60).read()
            figures[count] = load(bases, key, args.path, args.connections, args.seconds)
        finally:
            for _, process in servers:
                process.terminate()
                process.wait()
        rate, p50, p99, bad = figures[count]
        print(f"{count} server{'s' if count > 1 else ''}: {rate:8.0f} requests/s, "
              f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {bad} answers not 2xx "
              f"({args.connections} connections, {args.seconds} s, GET {args.path} as {args.agency})")
    ratio = figures[3][0] / figures[1][0]
    print(f"three servers / one: {ratio:.2f} (goal: at least 1)")
    if figures[1][3] or figures[3][3]:
        raise SystemExit("some answers were not 2xx")


if __name__ == "__main__":
    main()
