"""The console script. It installs the signal handlers before importing anything else, so that a stop at any
moment, from the first instruction to the last, is exit 130 with a one-line note, never a traceback or a death
by the signal; and it does not wait for a step thread stuck in an HTTP call after the run has stopped.

Only modules the interpreter has loaded already are imported at the top (`_signal` is built in): this module
is what the console script imports first, and a signal during a slow import must still land in `run`'s except.
"""

import _signal
import os
import sys

EXIT_INTERRUPTED = 130
_requested: list[int] = []  # the signals received: Python drops a KeyboardInterrupt raised inside a finalizer


def interrupt(signum: int, _frame: object) -> None:
    """SIGTERM (a service manager, `kill`) is treated like Ctrl-C."""
    _requested.append(signum)
    raise KeyboardInterrupt


def stop_requested() -> bool:
    """A stop was asked for, even if its KeyboardInterrupt landed where Python ignores exceptions (a weakref
    finalizer closing a connection pool) and so never reached the code that would have stopped."""
    return bool(_requested)


def install_signal_handlers() -> None:
    """In the main thread only: Python refuses signal handlers anywhere else (a face may run main in a worker)."""
    import threading

    if threading.current_thread() is threading.main_thread():
        _signal.signal(_signal.SIGTERM, interrupt)
        _signal.signal(_signal.SIGINT, interrupt)


def run() -> None:
    _signal.signal(_signal.SIGTERM, interrupt)
    try:
        from wizard.cli import main

        code = main()
        if stop_requested() and code != EXIT_INTERRUPTED:
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        print("\nInterrupted. Run the same command again to resume.", file=sys.stderr)
        code = EXIT_INTERRUPTED
    if code == EXIT_INTERRUPTED:
        # Step threads asleep in a Retry-After would hold the exit for minutes; the checkpoint is already closed.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
