#!/usr/bin/env python3
"""Faults while agencies' systems send: three `joinery serve` processes on one PostgreSQL
database take canonical messages over HTTP from concurrent senders, and one fault is made
mid-ingest:

  kill            kill -9 one of the three servers: the other two keep answering, and every
                  message any server acknowledged is stored;
  stop-postgres   stop PostgreSQL for a few seconds (pg_ctlcluster, as root): the servers answer
                  503 problem+json (not a hang, not a crash) and take messages again once it is
                  back; every acknowledged message is stored.

It prints what it did and what it found, and exits non-zero if anything acknowledged was lost.
Standard library only. Example:

  cargo build --release -p joinery
  python3 scripts/faults.py kill
  python3 scripts/faults.py stop-postgres --cluster "15 main"
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import joinery_servers


def psql(url, sql):
    out = subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def with_database(server_url, name):
    base, _, options = server_url.partition("?")
    host = base.rsplit("/", 1)[0]
    return f"{host}/{name}" + (f"?{options}" if options else "")


def joinery(binary, database, *args):
    env = dict(os.environ, JOINERY_DATABASE=database)
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True, env=env)
    return out.stdout


def post(base, key, body, timeout=15):
    request = urllib.request.Request(
        f"{base}/api/v1/messages",
        data=body.encode(),
        headers={"authorization": f"Bearer {key}", "content-type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), error.read()


def message(n):
    return json.dumps({
        "message_id": f"FAULT-{n:06d}",
        "agency": "MERPOL",
        "system": "Niche RMS",
        "occurred_at": "2026-11-30T10:00:00Z",
        "case": {"urn": f"05AA{n:07d}"},
        "type": "bail",
        "payload": {"status": "police_bail"},
    })


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fault", choices=["kill", "stop-postgres"])
    parser.add_argument("--joinery", default="target/release/joinery")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--senders", type=int, default=12)
    parser.add_argument("--cluster", default="15 main", help="pg_ctlcluster's version and name")
    parser.add_argument("--down", type=float, default=6.0, help="seconds PostgreSQL stays down")
    args = parser.parse_args()

    name = f"joinery_fault_{os.getpid()}"
    database = with_database(args.postgres, name)
    psql(args.postgres, f"CREATE DATABASE {name}")
    servers = []
    try:
        joinery(args.joinery, database, "agencies", "add", "--code", "MERPOL", "--kind", "police",
                "--name", "Merseyside Police")
        key = joinery(args.joinery, database, "keys", "create", "--agency", "MERPOL").split()[-1]
        logs = f"/tmp/{name}"
        servers.extend(joinery_servers.start(args.joinery, database, (18181, 18182, 18183), logs))
        print(f"three servers on {name} (their logs in {logs}): "
              + ", ".join(base for base, _ in servers))

        acknowledged, answers, lock = set(), {}, threading.Lock()
        next_message = iter(range(1, args.messages + 1))
        dead = set()

        def send():
            while True:
                with lock:
                    n = next(next_message, None)
                if n is None:
                    return
                body = message(n)
                for attempt in range(400):
                    base = servers[(n + attempt) % 3][0]
                    if base in dead:
                        continue
                    try:
                        status, kind, _ = post(base, key, body)
                    except OSError:
                        status, kind = "refused", ""
                    with lock:
                        answers[status] = answers.get(status, 0) + 1
                        if status == 503 and "problem+json" not in kind:
                            answers["503 without problem+json"] = answers.get("503 without problem+json", 0) + 1
                    if status in (200, 201):
                        with lock:
                            acknowledged.add(f"FAULT-{n:06d}")
                        break
                    time.sleep(0.05)

        senders = [threading.Thread(target=send) for _ in range(args.senders)]
        started = time.time()
        for sender in senders:
            sender.start()
        while len(acknowledged) < args.messages // 3:
            time.sleep(0.01)
        if args.fault == "kill":
            base, victim = servers[1]
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            dead.add(base)
            print(f"killed {base} (pid {victim.pid}) with SIGKILL after {len(acknowledged)} acknowledged")
        else:
            subprocess.run(["pg_ctlcluster", *args.cluster.split(), "stop", "-m", "fast"], check=True)
            print(f"stopped PostgreSQL ({args.cluster}) after {len(acknowledged)} acknowledged")
            time.sleep(args.down)
            during = dict(answers)
            subprocess.run(["pg_ctlcluster", *args.cluster.split(), "start"], check=True)
            print(f"started PostgreSQL again after {args.down:.0f} s; answers so far: {during}")
        for sender in senders:
            sender.join()
        elapsed = time.time() - started

        stored = set(psql(database, "SELECT message_id FROM messages WHERE agency = 'MERPOL'").split())
        lost = acknowledged - stored
        alive = []
        for base, process in servers:
            if base in dead:
                continue
            status, _, _ = post(base, key, message(args.messages + len(alive) + 1))
            alive.append(f"{base} {status}")
        print(f"{len(acknowledged)} of {args.messages} messages acknowledged in {elapsed:.1f} s; "
              f"answers: {answers}")
        print(f"stored: {len(stored)}; acknowledged but not stored: {len(lost)}")
        print("still answering: " + "; ".join(alive))
        audit = subprocess.run([args.joinery, "audit", "verify"], capture_output=True, text=True,
                               env=dict(os.environ, JOINERY_DATABASE=database))
        print((audit.stdout or audit.stderr).strip())
        failed = bool(lost) or len(acknowledged) < args.messages or audit.returncode != 0
        if args.fault == "stop-postgres" and not answers.get(503):
            print("no 503 was seen while PostgreSQL was down")
            failed = True
        if answers.get("503 without problem+json") or answers.get(500):
            print("an answer was not 503 problem+json while the database was away")
            failed = True
        print("FAILED" if failed else "nothing acknowledged was lost")
        return 1 if failed else 0
    finally:
        for _, process in servers:
            if process.poll() is None:
                process.terminate()
                process.wait()
        psql(args.postgres, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
