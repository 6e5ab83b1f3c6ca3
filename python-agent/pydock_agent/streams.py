"""Captures everything written to fd 1 and 2 (print, os.write, subprocesses, C code) and turns it into stream events."""
import codecs
import fcntl
import io
import os
import select
import sys
import threading
import time

_PIPE_SIZE = 1 << 20
_READ_SIZE = 1 << 20
_EVENT_SIZE = 4 << 20  # bytes of output in one stream event at most: both sides hold an event whole
_F_SETPIPE_SZ = 1031
_FLUSH_DELAY = 0.01  # seconds between a print and its flush: output streams, prints batch


def enlarge_pipe(fd):
    try:
        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_SIZE)
    except OSError:  # not a pipe, not Linux, or over the system's pipe-max-size: keep the default
        pass


class _DeferredFlushWriter(io.TextIOWrapper):
    """Block-buffered text output that asks to be flushed soon after its first write, instead of on every line."""

    def write(self, text):
        written = io.TextIOWrapper.write(self, text)
        if not self.dirty:
            self.dirty = True
            self.on_dirty()
        return written


class OutputCapture:
    """Replaces fds 1 and 2 with pipes drained by one pump thread; emit(name, text) receives decoded chunks."""

    def __init__(self, emit):
        self._emit = emit
        self._pipes = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            read_end, write_end = os.pipe()
            enlarge_pipe(write_end)
            os.dup2(write_end, fd)
            os.close(write_end)
            os.set_blocking(read_end, False)
            self._pipes[read_end] = (name, codecs.getincrementaldecoder("utf-8")("replace"))
        self._lock = threading.Lock()  # one reader at a time: the pump, or a run's drain
        self._flush_wanted = threading.Event()
        sys.stdout = _DeferredFlushWriter(io.BufferedWriter(io.FileIO(1, "w", closefd=False), 1 << 16),
                                          encoding="utf-8", errors="backslashreplace")
        sys.stdout.dirty = False
        sys.stdout.on_dirty = self._flush_wanted.set
        sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
        threading.Thread(target=self._pump, name="pydock-output", daemon=True).start()
        threading.Thread(target=self._flusher, name="pydock-flush", daemon=True).start()

    def drain(self):
        """Emits everything written so far, so it comes before the run's result. Runs on the caller's thread."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # user code may have replaced or closed sys.stdout
                pass
        with self._lock:
            for fd in self._pipes:
                self._read_available(fd)

    def _pump(self):
        fds = list(self._pipes)
        while True:
            ready, _, _ = select.select(fds, [], [])
            with self._lock:
                for fd in ready:
                    self._read_available(fd)

    def _flusher(self):
        """Flushes stdout shortly after its first write. Its own thread: a flush can block on a full pipe
        that the pump must keep draining."""
        while True:
            self._flush_wanted.wait()
            self._flush_wanted.clear()
            time.sleep(_FLUSH_DELAY)  # let a burst of prints gather into one write
            stdout = sys.stdout
            if isinstance(stdout, _DeferredFlushWriter):
                stdout.dirty = False
                try:
                    stdout.flush()
                except Exception:  # closed by user code
                    pass

    def _read_available(self, fd):
        """Emits what the pipe holds, in events of at most _EVENT_SIZE bytes however fast a writer refills it."""
        name, decoder = self._pipes[fd]
        full = True
        while full:
            chunks = []
            size = 0
            while size < _EVENT_SIZE:
                try:
                    chunk = os.read(fd, _READ_SIZE)
                except BlockingIOError:
                    chunk = b""
                chunks.append(chunk)
                size += len(chunk)
                if len(chunk) < _READ_SIZE:
                    full = False
                    break
            text = decoder.decode(b"".join(chunks))
            if text:
                self._emit(name, text)
