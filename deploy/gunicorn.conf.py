"""Gunicorn's configuration for Birge: `gunicorn -c deploy/gunicorn.conf.py birge.wsgi`.

Every value comes from the environment, with defaults fit for one application server
behind a reverse proxy (README, Production deployment; deploy/systemd/birge-web.service).

A master that dies (kill -9, OOM killer) must not keep the service down: every worker has
a listening socket of its own (SO_REUSEPORT), so a new master binds the port at once even
while old workers finish, and the kernel tells each worker when its master died
(PR_SET_PDEATHSIG), so that none lingers as an orphan. `make test` proves both
(src/birge/web/tests/test_gunicorn.py).
"""

import ctypes
import ctypes.util
import os
import signal
import sys

from gunicorn.workers import gthread

# --- Where and how many ------------------------------------------------------------------

bind = [address.strip() for address in os.environ.get("BIRGE_BIND", "127.0.0.1:8000").split(",")]
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores))
# gthread (ThreadWorker, below): a request waiting on the database does not hold a process.
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker whose main loop stops answering for this long is killed and replaced. Above
# BIRGE_DB_STATEMENT_TIMEOUT (30 s), so a slow statement ends first, with a 503 to retry.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On stop or restart, requests in progress get this long to finish (systemd waits longer:
# TimeoutStopSec in birge-web.service).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Idle kept-alive connections from the proxy; the proxy's own idle timeout towards the app
# servers should be shorter, so that it never sends on a connection gunicorn is closing.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# A worker is replaced after this many requests (a spread of up to the jitter, so that they
# are not all replaced at once): memory that grows slowly is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))

# Each worker opens its own listening socket with SO_REUSEPORT: a restarted master binds at
# once, even while the workers of a dead one still finish their requests.
reuse_port = True
# gunicorn's control socket (gunicornc) would sit in the service user's home, shared by
# every gunicorn of that user on the machine; Birge is run by systemd instead.
control_socket_disable = True
proc_name = "birge-web"

# --- Logs: to stdout and stderr (the journal); never a query string --------------------

# The access log names the path, never the query string nor the referrer: the paths hold
# no personal data by design, but a search's query string may (a name typed in the search).
# Neither the client's address nor her browser: the audit log records who did what, and
# the request id (X-Request-ID) ties a line here to its audit events.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# --- Workers stop listening when they stop, and stop when their master dies -------------

_PR_SET_PDEATHSIG = 1


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, with three differences.

    It asks the kernel for SIGTERM when its master dies (PR_SET_PDEATHSIG), which starts its
    graceful stop at once, instead of serving on as an orphan that nobody supervises.

    Once it stops (told by its master or the kernel, or after max_requests), it closes its
    listening socket at once rather than after its last request: with SO_REUSEPORT the
    kernel would otherwise go on giving that socket its share of new connections, which would
    wait unanswered and then be reset.

    A second SIGINT or SIGQUIT while it quits is ignored. Ctrl-C reaches the workers and the
    master, which passes it on at once; gthread's handler, which shuts the thread pool down,
    then ran again inside itself and waited for a lock held by its first run (python/cpython
    #121649): one `make demo` in four hung on Ctrl-C until the master killed its workers."""

    _quitting = False

    def init_process(self):
        # Linux only; elsewhere gthread's own check of its parent (each second) remains. The
        # signal comes when the thread that forked the worker ends: the master's only thread
        # (no control socket, no dirty arbiter).
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
                self.log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %s", ctypes.get_errno())
        # A master that died before prctl() sends no signal; gthread's check sees it.
        super().init_process()

    def handle_quit(self, sig, frame):
        if self._quitting:
            return
        self._quitting = True
        super().handle_quit(sig, frame)

    def set_accept_enabled(self, enabled):
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive:  # the start of the graceful stop
            for listener in self.sockets:
                listener.close()


worker_class = ThreadWorker
