"""Stored evidence files follow their transaction (mipg.core.files): a file written by a
save that rolls back is removed, a deleted evidence row (directly or in a cascade) takes
its file with it once the transaction commits."""

import pytest
from django.db import transaction
from django.db.models.signals import post_save

from management import services
from management.models import ProgressEvidence, ProgressReport
from tests import builders
from tests.factories import ProgressReportFactory


class Boom(Exception):
    pass


@pytest.fixture
def draft(data, responsible, media_root):
    return ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)


def _stored(media_root):
    return sorted(p.name for p in media_root.rglob("*") if p.is_file())


@pytest.fixture
def fail_after_storing():
    """Make the save of an evidence row fail once its file is stored and its row written,
    inside the service's transaction (a receiver of post_save raises)."""

    def fail(sender, instance, **kwargs):
        assert instance.file.storage.exists(instance.file.name)  # the file is on disk
        raise Boom

    post_save.connect(fail, sender=ProgressEvidence, dispatch_uid="test-fail-after-storing")
    yield
    post_save.disconnect(sender=ProgressEvidence, dispatch_uid="test-fail-after-storing")


@pytest.mark.usefixtures("fail_after_storing")
def test_a_file_stored_by_a_save_that_rolls_back_is_removed(draft, responsible, media_root):
    with pytest.raises(Boom):
        services.add_progress_evidence(draft, by=responsible, file=builders.pdf())
    assert _stored(media_root) == []
    assert not ProgressEvidence.objects.exists()


def test_a_file_is_removed_when_an_outer_transaction_rolls_back(draft, responsible, media_root):
    with pytest.raises(Boom), transaction.atomic():
        evidence = services.add_progress_evidence(draft, by=responsible, file=builders.pdf())
        assert _stored(media_root) == [evidence.file.name.rsplit("/", 1)[1]]
        raise Boom
    assert _stored(media_root) == []


def test_a_file_survives_a_rolled_back_savepoint_of_other_work(draft, responsible, media_root):
    with transaction.atomic():
        evidence = services.add_progress_evidence(draft, by=responsible, file=builders.pdf())
        with pytest.raises(Boom), transaction.atomic():
            raise Boom
    assert evidence.file.storage.exists(evidence.file.name)


def test_a_committed_file_stays(draft, responsible, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.add_progress_evidence(draft, by=responsible, file=builders.pdf())
    assert evidence.file.storage.exists(evidence.file.name)
    assert evidence.file.read() == builders.PDF


def test_removed_evidence_loses_its_file_after_commit(
    draft, responsible, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.add_progress_evidence(draft, by=responsible, file=builders.pdf())
    name = evidence.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.remove_progress_evidence(evidence, by=responsible)
    assert evidence.file.storage.exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert _stored(media_root) == []


def test_a_cascaded_deletion_removes_the_files_after_commit(
    draft, responsible, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_progress_evidence(draft, by=responsible, file=builders.pdf("a.pdf"))
        services.add_progress_evidence(draft, by=responsible, file=builders.pdf("b.pdf"))
    assert len(_stored(media_root)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        ProgressReport.objects.filter(pk=draft.pk).delete()
    assert _stored(media_root) == []
    assert not ProgressEvidence.objects.exists()


def test_a_rolled_back_deletion_keeps_the_file(
    draft, responsible, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.add_progress_evidence(draft, by=responsible, file=builders.pdf())
    with pytest.raises(Boom), transaction.atomic():
        ProgressReport.objects.filter(pk=draft.pk).delete()
        raise Boom
    assert evidence.file.storage.exists(evidence.file.name)
    assert ProgressEvidence.objects.count() == 1
