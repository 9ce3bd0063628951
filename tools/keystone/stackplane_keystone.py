"""The WSGI application gunicorn serves in the tests: Keystone's public API with SQLite's foreign keys
enforced on every connection. Keystone has no option for it (oslo.db's sqlite_fk is an engine argument,
not a [database] setting); without them deleted rows leave dependent rows behind.

Every connection also uses SQLite's write-ahead log and waits up to 30 s for a lock: in the default
rollback journal a reader holds off every writer, and gunicorn's threads answered a DELETE of a project
with 500 "database is locked" under load, which a real Keystone on a server database never does."""

import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

from keystone.common.sql import core


@event.listens_for(Engine, "connect")
def _wal_and_patience(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Keystone's configuration reads the command line, which is gunicorn's here.
sys.argv = sys.argv[:1]

core.enable_sqlite_foreign_key()

from keystone.server import wsgi  # noqa: E402  (after the engine is configured)

application = wsgi.initialize_public_application()
