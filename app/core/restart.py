"""How an instance stops for a restart without failing or losing a request (docs/deploy.md, Upgrading).

gunicorn's own graceful stop keeps the listening socket open, unanswered, until the worker exits: a connection the
kernel takes meanwhile waits and is then reset, after the load balancer has sent the request on it (a save lost, or
a 502). Here a stopping worker first ends its live streams, then takes every connection already waiting and stops
listening in one step, so the next connection is refused at once and the load balancer sends it to the other
instance (nginx `proxy_next_upstream error`, safe for a POST that was never sent). What is in hand is answered.
"""

import select
import signal
import socket
import threading
from collections.abc import Callable


def stop_cleanly_on_sigterm(worker, *, first: Callable[[], None], delay: float = 0.0) -> None:
    """Install the SIGTERM handler of a gunicorn gthread worker (call it from `post_worker_init`).

    On SIGTERM: `first()` (end the live streams; /readyz answers 503 from then on), go on serving for `delay` seconds
    (for a load balancer that checks /readyz before it stops sending), then stop listening and let gunicorn answer
    the requests in hand within its graceful timeout.
    """
    gunicorn_stop = signal.getsignal(signal.SIGTERM)
    accept = worker.accept
    asked, stopped = threading.Event(), threading.Event()

    def accept_while_listening(listener) -> None:
        if not stopped.is_set():  # a socket that stopped listening is still "readable" to the poller
            accept(listener)

    def stop_listening() -> None:  # on the worker's main loop, like every accept
        for listener in worker.sockets:
            while select.select([listener], [], [], 0)[0]:
                accept(listener)  # the kernel already took it: answer it rather than reset it
            listener.shutdown(socket.SHUT_RD)  # stops the socket itself (the master's copy too): refused from now
        stopped.set()
        gunicorn_stop(signal.SIGTERM, None)

    def on_sigterm(_signum, _frame) -> None:
        if asked.is_set():  # the master passes the signal on as well
            return
        asked.set()
        first()
        if delay > 0:
            threading.Timer(delay, worker.method_queue.defer, args=(stop_listening,)).start()
        else:
            worker.method_queue.defer(stop_listening)

    worker.accept = accept_while_listening  # before run() registers it with the poller
    signal.signal(signal.SIGTERM, on_sigterm)
