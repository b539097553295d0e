"""Stored files follow the transaction that writes or deletes their row.

A FileField writes its file to storage while the row is saved, before the transaction
commits. If the transaction, or the savepoint the save ran in, then rolls back, the row is
gone but the file would stay on disk. `save_with_file` registers the stored file for
deletion unless the transaction commits.

Django has no rollback hook, but it drops the `transaction.on_commit` callbacks of a
savepoint or transaction that rolls back. The callback registered here only records the
commit; a `weakref.finalize` on it runs when Django lets go of it, after running it on
commit or after dropping it on rollback, and deletes the file in the second case. CPython
frees the dropped callback at once, so the file goes as soon as the rollback happens.

Deleting an evidence row, directly or in a cascade (an action deleted with its progress
reports), deletes its file once the transaction commits (`delete_after_commit`, connected to
every evidence model by `EvidenceFileBase`): a rolled-back deletion keeps its file.
"""

import weakref

from django.db import transaction


def _delete_unless_committed(state, storage, name):
    if not state["committed"]:
        storage.delete(name)


def delete_unless_committed(fieldfile):
    """Delete the stored file of ``fieldfile`` if the current transaction (or savepoint)
    does not commit. Outside a transaction the save has committed: nothing to do."""
    storage, name = fieldfile.storage, fieldfile.name
    if not name:
        return
    state = {"committed": False}

    def committed():
        state["committed"] = True

    finalizer = weakref.finalize(committed, _delete_unless_committed, state, storage, name)
    finalizer.atexit = False  # a transaction still open at exit decides nothing
    transaction.on_commit(committed)


def save_with_file(instance, field="file"):
    """``instance.save()``, whose FileField ``field`` writes its file to storage; the file is
    deleted again unless the transaction commits, also when the save itself fails after
    storing it."""
    try:
        instance.save()
    finally:
        fieldfile = getattr(instance, field)
        if fieldfile and fieldfile._committed:
            delete_unless_committed(fieldfile)


def delete_after_commit(sender, instance, **kwargs):
    """post_delete receiver: delete the row's stored file once the transaction commits."""
    fieldfile = instance.file
    storage, name = fieldfile.storage, fieldfile.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
