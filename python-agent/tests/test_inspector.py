"""The inspector threads claim only interrupts aimed at their own requests."""
import threading
import unittest

from pydock_agent.inspector import Inspector


class InspectorTest(unittest.TestCase):
    def test_an_interrupt_without_a_target_is_left_for_the_running_code(self):
        replies = []
        done = threading.Event()
        inspector = Inspector(lambda request, value, error, ms: (replies.append(value), done.set()), "test-inspector")
        self.assertFalse(inspector.interrupt(None), "an idle inspector must not swallow an interrupt of the running code")
        inspector.handlers["echo"] = lambda request: request["value"]
        inspector.submit({"id": 1, "type": "echo", "value": 7})
        self.assertTrue(done.wait(5))
        self.assertEqual(replies, [7])
        self.assertFalse(inspector.interrupt(2), "nor one aimed at a request it does not have")


if __name__ == "__main__":
    unittest.main()
