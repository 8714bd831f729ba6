"""gunicorn settings for one application server (`.venv/bin/gunicorn wsgi:app` reads this file).

Sized for a 2-core machine: 2 worker processes (one per core) with 4 threads each, so a worker
waiting on the database or a PDF render does not hold a core idle. Override with the
environment: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60  # a PDF render is bounded well below this (portal/infra/pdf.py)
graceful_timeout = 30
# gunicorn 25+ opens a control socket, by default one path under the home directory shared by
# every instance on the machine: the second instance would take over the first one's. None here;
# GUNICORN_CONTROL_SOCKET gives an instance a socket of its own.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
# one JSON line per request comes from the portal itself (portal/infra/logging.py)
accesslog = None
errorlog = "-"
