"""Checking that published reports are still what was published: the SHA-256 of every
stored file against the hash recorded at generation, each report's hash against its
manifest (``services.manifest_sha256``), and the hash chain (each published report's
``previous_sha256`` is the hash of the plan's report published before it).

One set of checks serves ``manage.py verify_reports`` (every report, one link each) and
the portal's verify page (one report, its files and the whole chain back to the plan's
first publication). Both read the plan's published reports in one query and hash the
files on disk; nothing here writes.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from accountability.models import AccountabilityReport, ReportFile
from accountability.services import file_sha256, manifest_sha256

Status = AccountabilityReport.Status
CHECKED_STATUSES = (Status.READY, Status.PUBLISHED, Status.WITHDRAWN)


@dataclass(frozen=True)
class FileCheck:
    """One stored file: the hash recorded when it was generated and the hash of the bytes
    on disk now (None when the file is missing)."""

    name: str
    path: str
    published: str
    actual: str | None

    @property
    def missing(self):
        return self.actual is None

    @property
    def ok(self):
        return self.actual == self.published


@dataclass(frozen=True)
class LinkCheck:
    """One report of the chain: whether its hash is still the hash of its manifest (its
    files' names and hashes and ``previous_sha256``), and whether ``previous_sha256`` is
    the hash of the plan's report published before it (``link_ok`` is None for a report
    never published: it has no link yet)."""

    report: AccountabilityReport
    previous: AccountabilityReport | None
    manifest_ok: bool
    link_ok: bool | None

    @property
    def ok(self):
        return self.manifest_ok and self.link_ok is not False


@dataclass(frozen=True)
class ReportCheck:
    """The verdict on one report: its files and the links of the chain, from the report
    itself back to the plan's first published report (only its own link for the
    command)."""

    report: AccountabilityReport
    files: list = field(default_factory=list)
    chain: list = field(default_factory=list)

    @property
    def files_ok(self):
        return all(check.ok for check in self.files)

    @property
    def chain_ok(self):
        return all(link.ok for link in self.chain)

    @property
    def ok(self):
        return self.files_ok and self.chain_ok

    def problems(self):
        """The mismatches in words, one line each (what ``verify_reports`` prints)."""
        label = f"informe {self.report.pk} «{self.report.title}»"
        lines = []
        for check in self.files:
            if check.missing:
                lines.append(f"{label}: falta el archivo {check.path}")
            elif not check.ok:
                lines.append(f"{label}: el archivo {check.path} no coincide con su SHA-256")
        for link in self.chain:
            name = label if link.report.pk == self.report.pk else _label(link.report)
            if not link.manifest_ok:
                lines.append(f"{name}: el SHA-256 del informe no coincide con su manifiesto")
            if link.link_ok is False:
                lines.append(f"{name}: el enlace con el informe publicado anterior no coincide")
        return lines


def _label(report):
    return f"informe {report.pk} «{report.title}»"


def _files_prefetch():
    return Prefetch("files", queryset=ReportFile.objects.order_by("name"))


def check_files(report):
    """[FileCheck] of the report's files (prefetched), hashing each file on disk."""
    root = Path(settings.MEDIA_ROOT)
    checks = []
    for row in report.files.all():
        path = root / row.file.name
        actual = file_sha256(path) if path.is_file() else None
        checks.append(FileCheck(row.name, row.file.name, row.sha256, actual))
    return checks


def check_link(report, previous):
    """The LinkCheck of ``report`` given the plan's report published before it."""
    files = [(row.name, row.sha256) for row in report.files.all()]
    manifest_ok = manifest_sha256(files, report.previous_sha256) == report.sha256
    link_ok = None
    if report.published_at is not None:
        link_ok = report.previous_sha256 == (previous.sha256 if previous else "")
    return LinkCheck(report, previous, manifest_ok, link_ok)


def _previous(published, report):
    """The same rule as ``selectors.previous_published``, on an already fetched list."""
    if report.published_at is None:
        return None
    earlier = [r for r in published if r.published_at < report.published_at]
    return max(earlier, key=lambda r: (r.published_at, r.pk), default=None)


def _published_of(plan_ids):
    """{plan id: [its reports ever published, with files]}: one query and one prefetch."""
    reports = (
        AccountabilityReport.objects.filter(plan_id__in=plan_ids, published_at__isnull=False)
        .prefetch_related(_files_prefetch())
        .order_by("published_at", "pk")
    )
    by_plan = {}
    for report in reports:
        by_plan.setdefault(report.plan_id, []).append(report)
    return by_plan


def verify_report(report):
    """The whole verdict on one report: its files hashed again and the chain walked back
    from it to the plan's first published report. Queries: two, whatever the chain's
    length (the plan's published reports and their files); ``report`` needs its files
    prefetched (``selectors.report_with_files``)."""
    published = _published_of([report.plan_id]).get(report.plan_id, [])
    chain, current = [], report
    seen = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        previous = _previous(published, current)
        chain.append(check_link(current, previous))
        current = previous
    return ReportCheck(report, check_files(report), chain)


def verify_reports():
    """[ReportCheck] of every generated, published or withdrawn report, oldest first:
    its files and its own link. Queries: four, whatever the number of reports."""
    reports = list(
        AccountabilityReport.objects.filter(status__in=CHECKED_STATUSES)
        .prefetch_related(_files_prefetch())
        .order_by("pk")
    )
    published = _published_of({report.plan_id for report in reports})
    return [
        ReportCheck(
            report,
            check_files(report),
            [check_link(report, _previous(published.get(report.plan_id, []), report))],
        )
        for report in reports
    ]
