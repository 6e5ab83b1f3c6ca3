"""SIGINT as KeyboardInterrupt only in the user code of the run it was meant for, and never in the middle of a write."""
import signal
import threading


class InterruptGate:
    """The main thread's SIGINT handler, and the state that decides whether a signal may raise where it lands.

    A signal that lands while the agent sends a status, builds an error or writes a frame would otherwise leave a
    run unsettled or a frame half written. Such a signal is kept: it raises when the run's user code starts or when
    the write it landed in is done, and it is dropped once its run has ended.
    """

    def __init__(self):
        self._main = threading.main_thread().ident
        self._target = None  # the run an interrupt was asked for, until it raises or that run ends
        self._running = None  # the run whose user code the main thread is in
        self._holds = 0  # writes in progress on the main thread
        signal.signal(signal.SIGINT, self._on_signal)

    def interrupt(self, run_id):
        """Called by the reader thread for the current run: it raises in that run's user code, now or when it starts."""
        self._target = run_id
        signal.pthread_kill(self._main, signal.SIGINT)

    def enter(self, run_id):
        """The main thread is about to run run_id's user code; an interrupt that came first raises now."""
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # user code put Python's default back
            signal.signal(signal.SIGINT, self._on_signal)
        self._running = run_id
        if self._target == run_id:
            self._target = None
            raise KeyboardInterrupt

    def leave(self):
        """The run's user code is over (or never started): an interrupt still kept for it is dropped."""
        running, self._running = self._running, None  # first: from here on no signal raises
        if self._target == running:
            self._target = None

    def hold(self):
        """A write starts; interrupts wait until release(). Only the main thread's writes need holding."""
        if threading.get_ident() == self._main:
            self._holds += 1

    def release(self):
        """A write is done: an interrupt kept during it raises now, if its run's user code is still running."""
        if threading.get_ident() != self._main:
            return
        self._holds -= 1
        if not self._holds and self._target is not None and self._target == self._running:
            self._target = None
            raise KeyboardInterrupt

    def _on_signal(self, signum, frame):
        if self._holds or self._target is None or self._target != self._running:
            return  # kept for later (a write, or user code yet to start), or meant for a run that has ended
        self._target = None
        raise KeyboardInterrupt
