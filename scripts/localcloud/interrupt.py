"""Ctrl-C and SIGTERM as an event the main thread waits for, and SIGUSR1 for a stuck process.

Python runs a signal's handler in the main thread only, between two bytecodes. The kernel may
hand a process's signal to any of its threads (the local cloud has dozens). An untimed wait in
the main thread would then sleep through the signal, and the local cloud would never stop. So
the main thread waits in short steps, and runs the handler at the next step.
"""

import faulthandler
import signal
import threading

STEP = 0.2  # seconds between two looks at a pending signal: how late Ctrl-C may be seen


class Interrupt:
    def __init__(self, signals: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)):
        """Installs the handlers; call from the main thread."""
        self._received = threading.Event()
        for signum in signals:
            signal.signal(signum, lambda *_: self._received.set())
        # kill -USR1 <pid>: every thread's stack on stderr (the console), for a process that hangs
        faulthandler.register(signal.SIGUSR1, all_threads=True)

    def wait(self) -> None:
        """Until one of the signals comes, to whichever thread."""
        while not self._received.wait(STEP):
            pass
