"""The replay buffer keeps unacknowledged events within a byte bound and replays those after a sequence number."""
import unittest

from pydock_agent.replay import ReplayBuffer


def frame(seq, size=10):
    return [b"h%03d" % seq, b"x" * (size - 4)]


class ReplayBufferTest(unittest.TestCase):
    def setUp(self):
        self.buffer = ReplayBuffer(limit=100)

    def keep(self, *seqs, size=10):
        for seq in seqs:
            self.buffer.keep(seq, frame(seq, size), size)

    def test_replays_the_events_after_last_seq_in_order(self):
        self.keep(1, 2, 3, 4)
        parts, summary = self.buffer.after(2)
        self.assertEqual(parts, frame(3) + frame(4))
        self.assertEqual((summary["events"], summary["bytes"]), (2, 20))
        self.assertEqual((summary["keptEvents"], summary["keptBytes"]), (4, 40))
        self.assertEqual((summary["droppedEvents"], summary["droppedBytes"]), (0, 0))

    def test_ack_forgets_what_was_shown(self):
        self.keep(1, 2, 3, 4)
        self.buffer.ack(3)
        parts, summary = self.buffer.after(0)
        self.assertEqual(parts, frame(4), "only the unacknowledged event is left")
        self.assertEqual((summary["keptEvents"], summary["keptBytes"]), (1, 10))
        self.buffer.ack(99)
        self.assertEqual(self.buffer.after(0)[1]["keptBytes"], 0)

    def test_drops_the_oldest_past_the_bound_and_says_so(self):
        self.keep(*range(1, 13))  # 120 bytes into a 100-byte buffer
        parts, summary = self.buffer.after(0)
        self.assertEqual(parts[0], b"h003", "events 1 and 2 were dropped, 3 is the oldest kept")
        self.assertEqual((summary["events"], summary["droppedEvents"], summary["droppedBytes"]), (10, 2, 20))
        self.assertLessEqual(self.buffer.kept_bytes, 100)

    def test_an_event_over_the_bound_is_dropped_alone(self):
        self.keep(1)
        self.keep(2, size=500)
        self.keep(3)
        parts, summary = self.buffer.after(0)
        self.assertEqual(parts, frame(1) + frame(3))
        self.assertEqual((summary["droppedEvents"], summary["droppedBytes"]), (1, 500))

    def test_losses_are_forgotten_once_acknowledged_past(self):
        self.keep(*range(1, 13))
        self.buffer.ack(5)
        self.assertEqual(self.buffer.after(5)[1]["droppedEvents"], 0, "an extension that saw seq 5 heard of the loss")
        self.keep(13)
        self.assertEqual(self.buffer.after(0)[1]["droppedEvents"], 0)

    def test_a_reader_past_the_losses_is_not_told_of_them(self):
        self.keep(*range(1, 13))
        self.assertEqual(self.buffer.after(4)[1]["droppedEvents"], 0)

    def test_views_of_user_buffers_are_copied(self):
        data = bytearray(b"abcdef")
        self.buffer.keep(1, [b"h001", memoryview(data)], 10)
        data[0:1] = b"Z"
        data.extend(b"more")  # would raise BufferError while a view is held
        self.assertEqual(self.buffer.after(0)[0], [b"h001", b"abcdef"])


if __name__ == "__main__":
    unittest.main()
