"""Publication, withdrawal, the hash chain and ``manage.py verify_reports``."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from accountability.models import AccountabilityReport
from accountability.services import (
    generate_report,
    manifest_sha256,
    publish_report,
    queue_generation,
    withdraw_report,
)
from tests.builders import dashboard_example
from tests.builders import generated_report as generated

Status = AccountabilityReport.Status


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def test_the_report_hash_is_the_hash_of_its_manifest(example, planner):
    report = generated(example, planner)
    files = sorted([f.name, f.sha256] for f in report.files.all())
    expected = hashlib.sha256(
        ('{"files": ' + str(files).replace("'", '"') + ', "previous": ""}').encode()
    ).hexdigest()
    assert report.sha256 == expected


def test_each_published_report_links_the_previous_one_of_its_plan(example, planner):
    first = publish_report(generated(example, planner, ("t1",)), by=planner)
    second = publish_report(generated(example, planner), by=planner)
    assert first.previous_sha256 == ""
    assert second.previous_sha256 == first.sha256
    files = second.files.values_list("name", "sha256")
    assert second.sha256 == manifest_sha256(files, first.sha256)


def test_publication_is_only_for_planeacion_or_administrador(example, planner, director):
    report = generated(example, planner)
    with pytest.raises(ValidationError) as refused:
        publish_report(report, by=director)
    assert refused.value.messages == ["Solo Planeación o el Administrador publican informes."]
    report.refresh_from_db()
    assert report.status == Status.READY


def test_withdrawal_keeps_files_and_asks_for_a_reason(example, planner, media_root):
    report = publish_report(generated(example, planner), by=planner)
    with pytest.raises(ValidationError) as refused:
        withdraw_report(report, reason="  ", by=planner)
    assert refused.value.message_dict == {"reason": ["Escriba el motivo del retiro."]}
    report = withdraw_report(report, reason="Cifras de T2 en revisión", by=planner)
    assert (report.status, report.withdrawn_reason) == (
        Status.WITHDRAWN,
        "Cifras de T2 en revisión",
    )
    assert all((media_root / f.file.name).exists() for f in report.files.all())
    with pytest.raises(ValidationError):
        queue_generation(report, by=planner)


def test_regenerating_a_draft_replaces_only_its_own_files(
    example, planner, media_root, django_capture_on_commit_callbacks
):
    published = publish_report(generated(example, planner, ("t1",)), by=planner)
    draft = generated(example, planner)
    old_folder = media_root / "reports" / str(draft.pk) / "1"
    queue_generation(draft, by=planner)
    with django_capture_on_commit_callbacks(execute=True):
        draft = generate_report(draft.pk)
    assert draft.generation == 2
    assert not old_folder.exists()
    assert sorted(f.file.name.split("/")[2] for f in draft.files.all()) == ["2"] * 12
    assert all((media_root / f.file.name).exists() for f in published.files.all())


def test_verify_reports_passes_then_names_an_altered_file(example, planner, media_root, capsys):
    first = publish_report(generated(example, planner, ("t1",)), by=planner)
    publish_report(generated(example, planner), by=planner)
    call_command("verify_reports")
    assert "todo coincide" in capsys.readouterr().out
    altered = first.files.get(name="metas.csv")
    with open(media_root / altered.file.name, "ab") as handle:
        handle.write(b"M9,Meta inventada,,100,100,100,0,0,0,0,0\n")
    with pytest.raises(CommandError):
        call_command("verify_reports")
    assert capsys.readouterr().err.splitlines() == [
        f"informe {first.pk} «Seguimiento t1»: el archivo {altered.file.name} no coincide "
        "con su SHA-256"
    ]


def test_verify_reports_names_a_broken_chain_link(example, planner, capsys):
    first = publish_report(generated(example, planner, ("t1",)), by=planner)
    second = publish_report(generated(example, planner), by=planner)
    AccountabilityReport.objects.filter(pk=first.pk).update(sha256="0" * 64)
    with pytest.raises(CommandError):
        call_command("verify_reports")
    assert capsys.readouterr().err.splitlines() == [
        f"informe {first.pk} «Seguimiento t1»: el SHA-256 del informe no coincide con su "
        "manifiesto",
        f"informe {second.pk} «Seguimiento t1-t2»: el enlace con el informe publicado anterior "
        "no coincide",
    ]
