"""Commits inside tests: after-commit work runs when production would run it.

Most tests run inside a transaction that is rolled back at the end (pytest-django's `db`),
so nothing ever commits and `transaction.on_commit` callbacks never run. Here a block that
would commit in production (the outermost `atomic` that is not the test's own) runs its
callbacks when it ends successfully, and code outside any such block runs them at once,
as autocommit would. A block that fails, or a savepoint rolled back, drops its callbacks
as a real rollback does. Index refreshes, cache purges and queued tasks are then seen by
a test exactly as readers see them.
"""

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

_original_on_commit = BaseDatabaseWrapper.on_commit
_original_enter = transaction.Atomic.__enter__
_original_exit = transaction.Atomic.__exit__


def _only_test_blocks(connection):
    return connection.in_atomic_block and all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def _run(callbacks):
    for _, func, robust in callbacks:
        if robust:
            try:
                func()
            except Exception:  # noqa: BLE001 - as Django's own robust callbacks: logged, not raised
                import logging

                logging.getLogger("django.db.backends.base").exception("Error in an on_commit() callback")
        else:
            func()


def on_commit(self, func, robust=False):
    if _only_test_blocks(self):
        _run([(set(), func, robust)])
    else:
        _original_on_commit(self, func, robust)


def enter(self):
    connection = transaction.get_connection(self.using)
    self._callbacks_before = len(connection.run_on_commit)
    return _original_enter(self)


def exit_(self, exc_type, exc_value, traceback):
    connection = transaction.get_connection(self.using)
    result = _original_exit(self, exc_type, exc_value, traceback)
    if (
        exc_type is None
        and not getattr(self, "_from_testcase", False)
        and _only_test_blocks(connection)
        and not connection.needs_rollback
    ):
        start = getattr(self, "_callbacks_before", len(connection.run_on_commit))
        callbacks = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        _run(callbacks)
    return result


def install():
    BaseDatabaseWrapper.on_commit = on_commit
    transaction.Atomic.__enter__ = enter
    transaction.Atomic.__exit__ = exit_
