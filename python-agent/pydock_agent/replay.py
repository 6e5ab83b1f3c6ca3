"""Events kept until the extension acknowledges them, so output written while no window is attached is replayed."""
import collections

LIMIT_BYTES = 64 << 20  # past this, the oldest unacknowledged events are dropped (and the next hello says so)


class ReplayBuffer:
    """Framed events by sequence number, oldest first; callers hold the agent's write lock."""

    def __init__(self, limit=LIMIT_BYTES):
        self._limit = limit
        self._events = collections.deque()  # (seq, parts, size)
        self.kept_bytes = 0
        self.dropped_events = 0
        self.dropped_bytes = 0
        self._dropped_through = 0  # the newest dropped seq not yet acknowledged past

    def keep(self, seq, parts, size):
        """parts are the frame's buffers as written; views of user objects are copied, which may change or be resized."""
        if size > self._limit:
            self._drop(seq, size)
            return
        self._events.append((seq, [p if type(p) is bytes else bytes(p) for p in parts], size))
        self.kept_bytes += size
        while self.kept_bytes > self._limit:
            old_seq, _, old_size = self._events.popleft()
            self.kept_bytes -= old_size
            self._drop(old_seq, old_size)

    def ack(self, seq):
        """Forgets the events up to seq: the extension has shown them."""
        events = self._events
        while events and events[0][0] <= seq:
            self.kept_bytes -= events.popleft()[2]
        if seq >= self._dropped_through:
            self.dropped_events = self.dropped_bytes = 0

    def after(self, seq):
        """The frames' buffers of the kept events newer than seq, in order, and what they and the losses amount to."""
        parts = []
        events = bytes_ = 0
        for event_seq, event_parts, size in self._events:
            if event_seq > seq:
                parts.extend(event_parts)
                events += 1
                bytes_ += size
        lost = seq < self._dropped_through
        summary = {"events": events, "bytes": bytes_, "keptEvents": len(self._events), "keptBytes": self.kept_bytes,
                   "droppedEvents": self.dropped_events if lost else 0, "droppedBytes": self.dropped_bytes if lost else 0}
        return parts, summary

    def _drop(self, seq, size):
        self.dropped_events += 1
        self.dropped_bytes += size
        self._dropped_through = seq
