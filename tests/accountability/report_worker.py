"""A real Celery worker for tests/accountability/test_killed_worker.py, run as
``python -m tests.accountability.report_worker QUEUE [--stall]``.

It consumes only QUEUE (so the suite's other worker never takes the test's message) with
a short Redis visibility timeout, swept every second: a message left unacknowledged by a
killed worker goes back to the queue after VISIBILITY_TIMEOUT seconds instead of an hour.
With ``--stall``, building the PDF sleeps for good, so the test can kill the worker in the
middle of a generation. Nothing here changes the project's code or settings."""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mipg.settings")
django.setup()

# isort: split

from accountability import outputs  # noqa: E402
from mipg.celery import app  # noqa: E402

VISIBILITY_TIMEOUT = 6


def stall(context):
    time.sleep(3600)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("queue")
    parser.add_argument("--stall", action="store_true")
    args = parser.parse_args()
    if args.stall:
        outputs.report_pdf = stall
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            args.queue,
            "-n",
            f"{args.queue}-{'stall' if args.stall else 'ok'}-{os.getpid()}@%h",
        ]
    )


if __name__ == "__main__":
    main()
