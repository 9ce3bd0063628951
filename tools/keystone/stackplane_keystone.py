"""The WSGI application gunicorn serves in the tests: Keystone's public API with SQLite's foreign keys
enforced on every connection. Keystone has no option for it (oslo.db's sqlite_fk is an engine argument,
not a [database] setting); without them deleted rows leave dependent rows behind."""

import sys

from keystone.common.sql import core

# Keystone's configuration reads the command line, which is gunicorn's here.
sys.argv = sys.argv[:1]

core.enable_sqlite_foreign_key()

from keystone.server import wsgi  # noqa: E402  (after the engine is configured)

application = wsgi.initialize_public_application()
