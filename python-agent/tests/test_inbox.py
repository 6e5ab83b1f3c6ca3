"""Reading requests: frames as they complete, and a stream out of step skipped to the next request."""
import os
import threading
import unittest

from pydock_agent import inbox
from pydock_agent.wire import HEADER, MAX_FRAME, packb, starts_as_message


def frame(message):
    payload = packb(message)
    return HEADER.pack(len(payload)) + payload


def read_all(data):
    """The frames read from a pipe holding data, and what out_of_step was told."""
    read_end, write_end = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end)))
    writer.start()
    skipped = []
    frames = list(inbox.frames(read_end, skipped.append))
    writer.join()
    os.close(read_end)
    return frames, skipped


class FramesTest(unittest.TestCase):
    def test_reads_requests(self):
        frames, skipped = read_all(frame({"type": "eval", "id": 1, "expr": "1"}) + frame({"type": "ack", "seq": 3}))
        self.assertEqual(len(frames), 2)
        self.assertEqual(skipped, [])

    def test_skips_bytes_out_of_step_to_the_next_request_and_says_how_many(self):
        garbage = HEADER.pack(900 << 20) + b"not a message"
        frames, skipped = read_all(frame({"type": "eval", "id": 1, "expr": "1"}) + garbage + frame({"type": "eval", "id": 2, "expr": "2"}))
        self.assertEqual([f[-1:] for f in frames], [b"1", b"2"])
        self.assertEqual(skipped, [len(garbage)])

    def test_a_length_of_4_gib_and_over_is_out_of_step_not_a_crash(self):
        garbage = b"\xff\xff\xff\xff\x81\xa4type"
        frames, skipped = read_all(garbage + frame({"type": "ack", "seq": 1}))
        self.assertEqual(len(frames), 1)
        self.assertEqual(skipped, [len(garbage)])


class StartsAsMessageTest(unittest.TestCase):
    def test_maps_whose_first_key_is_type(self):
        self.assertTrue(starts_as_message(packb({"type": "x"}), 0, 7))
        wide = packb(dict([("type", "x")] + [("k%d" % i, i) for i in range(20)]))
        self.assertTrue(starts_as_message(wide, 0, len(wide)))

    def test_anything_else(self):
        self.assertFalse(starts_as_message(packb({"seq": 1, "type": "x"}), 0, 12))
        self.assertFalse(starts_as_message(b"garbage!", 0, 8))
        self.assertFalse(starts_as_message(packb({"type": "x"}), 0, MAX_FRAME + 1))

    def test_waits_for_bytes_that_may_still_make_a_message(self):
        self.assertIsNone(starts_as_message(b"\x81\xa4ty", 0, 7))
        self.assertIsNone(starts_as_message(b"", 0, 7))


if __name__ == "__main__":
    unittest.main()
