"""Captures everything written to fd 1 and 2 (print, os.write, subprocesses, C code) and turns it into stream events."""
import codecs
import fcntl
import io
import os
import select
import sys
import threading

_PIPE_SIZE = 1 << 20
_READ_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031


class OutputCapture:
    """Replaces fds 1 and 2 with pipes drained by one pump thread; emit(name, text) receives decoded chunks."""

    def __init__(self, emit):
        self._emit = emit
        self._pipes = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            read_end, write_end = os.pipe()
            try:
                fcntl.fcntl(write_end, _F_SETPIPE_SZ, _PIPE_SIZE)
            except OSError:  # not Linux, or over the system's pipe-max-size: keep the default
                pass
            os.dup2(write_end, fd)
            os.close(write_end)
            os.set_blocking(read_end, False)
            self._pipes[read_end] = (name, codecs.getincrementaldecoder("utf-8")("replace"))
        self._wake_read, self._wake_write = os.pipe()
        self._drained = threading.Event()
        self._drain_lock = threading.Lock()
        sys.stdout = self._text_stream(1)
        sys.stderr = self._text_stream(2)
        threading.Thread(target=self._pump, name="pydock-output", daemon=True).start()

    @staticmethod
    def _text_stream(fd):
        raw = io.FileIO(fd, "w", closefd=False)
        return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8", errors="backslashreplace",
                                line_buffering=True)

    def drain(self):
        """Waits until everything written so far has been emitted, so it comes before the run's result."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # user code may have replaced or closed sys.stdout
                pass
        with self._drain_lock:
            self._drained.clear()
            os.write(self._wake_write, b"d")
            self._drained.wait()

    def _pump(self):
        fds = list(self._pipes) + [self._wake_read]
        while True:
            ready, _, _ = select.select(fds, [], [])
            for fd in ready:
                if fd != self._wake_read:
                    self._read_available(fd)
            if self._wake_read in ready:
                os.read(self._wake_read, 64)
                for fd in self._pipes:
                    self._read_available(fd)
                self._drained.set()

    def _read_available(self, fd):
        name, decoder = self._pipes[fd]
        chunks = []
        while True:
            try:
                chunk = os.read(fd, _READ_SIZE)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if len(chunk) < _READ_SIZE:
                break
        if chunks:
            text = decoder.decode(b"".join(chunks))
            if text:
                self._emit(name, text)
