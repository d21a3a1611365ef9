"""Starting `joinery serve` processes on one database, for the scripts beside this one, and
waiting until each answers. Standard library only."""

import os
import subprocess
import time
import urllib.request


def start(binary, database, ports, logs):
    """Starts a server on each of `ports` (127.0.0.1) on `database`, each logging to
    LOGS/PORT.log; returns (base URL, process) pairs once every one answers."""
    os.makedirs(logs, exist_ok=True)
    servers = []
    for port in ports:
        process = subprocess.Popen(
            [binary, "serve", "--addr", f"127.0.0.1:{port}"],
            env=dict(os.environ, JOINERY_DATABASE=database, RUST_LOG="warn"),
            stdout=subprocess.DEVNULL, stderr=open(f"{logs}/{port}.log", "w"))
        servers.append((f"http://127.0.0.1:{port}", process))
    for base, process in servers:
        # A national year's server builds its grids before it answers: up to two minutes.
        for _ in range(1200):
            try:
                urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise SystemExit(f"{base} exited: see {logs}")
                time.sleep(0.1)
        else:
            raise SystemExit(f"{base} did not answer within two minutes: see {logs}")
    return servers
