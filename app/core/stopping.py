"""A long-running command's stop switch: SIGTERM or SIGINT asks it to finish the work in hand, then stop."""

import signal


class StopRequest:
    """`requested` turns true on SIGTERM/SIGINT (the Procfile's processes are stopped with SIGTERM)."""

    def __init__(self) -> None:
        self.requested = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._set)

    def _set(self, *_args) -> None:
        self.requested = True
