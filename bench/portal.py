"""The citizen portal under a hearing-day spike: requests per second of its published pages
(a report, its plan, a goal's actions, the open data list) against a static file, all
served by the same production-like server, with wrk.

Run with `python bench/portal.py [--seconds 15] [--connections 16] [--workers 2]` (needs
`wrk`: `apt-get install wrk`). It builds a scratch site (SQLite and media in a temporary
folder unless DATABASE_URL is set; the demo data of `seed_demo`, whose published report is
the pages measured; `collectstatic`), starts gunicorn on loopback with DEBUG off (static
files served by WhiteNoise, as in production; the page cache in each worker's memory, or
Redis when MIPG_CACHE_URL is set), warms every URL, then runs wrk on each page and on the
static file (and, for reference, on a static file about the report page's size) one after
the other in the same run and prints requests/s, errors and the ratio page ÷ static.

Target (docs/benchmarks.md): every page at ≥ 50 % of the static file's throughput, with 0
errors. Exits 1 when either is missed.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="mipg-portal-bench-"))
os.environ.setdefault("MEDIA_ROOT", str(SCRATCH / "media"))
os.environ.setdefault("STATIC_ROOT", str(SCRATCH / "static"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH}/portal.sqlite3")
os.environ["DEBUG"] = "false"

import django_setup  # noqa: E402  (sets Django up: must come before the project)

# isort: split

from django.core.management import call_command  # noqa: E402

from accountability.models import AccountabilityReport  # noqa: E402
from planning.models import Action  # noqa: E402

ROOT = django_setup.ROOT
STATIC_PATH = "/static/css/mipg.css"
# A static file about the size of the page, to tell the cost of the bytes from the cost of
# Django (reported, not part of the target).
LARGE_STATIC_PATH = "/static/vendor/bootstrap/css/bootstrap.min.css"
TARGET = 0.5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds} s.")


def run_wrk(url, *, seconds, connections, threads):
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = sum(map(int, socket_errors.groups())) if socket_errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)
    return {"rate": rate, "requests": requests, "errors": errors, "p50": p50, "p99": p99}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk).")

    print("Preparing the site (migrate, seed_demo, collectstatic)…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)
    report = AccountabilityReport.objects.filter(status="published").order_by("pk").first()
    action = Action.objects.filter(goal__objective__plan=report.plan_id).order_by("pk").first()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    pages = {
        "report page": f"{base}/transparencia/informes/{report.pk}/",
        "plan page": f"{base}/transparencia/planes/{report.plan_id}/",
        "goal page": f"{base}/transparencia/planes/{report.plan_id}/metas/{action.goal_id}/",
        "open data list": f"{base}/transparencia/datos-abiertos/",
    }
    static_url = f"{base}{STATIC_PATH}"
    large_url = f"{base}{LARGE_STATIC_PATH}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mipg.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--preload",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        bodies = {name: wait_until_up(url) for name, url in pages.items()}
        static = wait_until_up(static_url)
        large = wait_until_up(large_url)
        for _ in range(4 * args.workers):  # every worker fills its cache
            for url in pages.values():
                wait_until_up(url)
        options = {
            "seconds": args.seconds,
            "connections": args.connections,
            "threads": args.threads,
        }
        results = {
            **{name: run_wrk(url, **options) for name, url in pages.items()},
            "static file": run_wrk(static_url, **options),
            "large static file": run_wrk(large_url, **options),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(SCRATCH, ignore_errors=True)

    sizes = {
        **{name: len(body) for name, body in bodies.items()},
        "static file": len(static),
        "large static file": len(large),
    }
    cache = os.environ.get("MIPG_CACHE_URL") or "memory of each worker"
    print(
        f"\ngunicorn {args.workers} sync workers, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s, page cache: {cache}, "
        f"database: {os.environ['DATABASE_URL'].split(':', 1)[0]}\n"
    )
    print("| URL | bytes | requests/s | requests | errors | p50 | p99 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results.items():
        print(
            f"| {name} | {sizes[name]:,} | {r['rate']:,.1f} | {r['requests']:,} | "
            f"{r['errors']} | {r['p50']} | {r['p99']} |"
        )
    print()
    ratios = {}
    for name in pages:
        ratios[name] = results[name]["rate"] / results["static file"]["rate"]
        print(f"{name} ÷ static file: {ratios[name]:.0%} (target ≥ {TARGET:.0%}, 0 errors)")
    large_ratio = results["report page"]["rate"] / results["large static file"]["rate"]
    print(f"report page ÷ large static file: {large_ratio:.0%}")
    errors = sum(r["errors"] for r in results.values())
    return 0 if min(ratios.values()) >= TARGET and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
