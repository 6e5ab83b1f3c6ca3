"""The interrupt gate: SIGINT raises only in the user code of the run it was meant for, never inside a write."""
import signal
import threading
import unittest

from pydock_agent.interrupts import InterruptGate


def from_reader(gate, run_id):
    """Asks for the interrupt from another thread, as the agent's reader does, and waits for the signal to land."""
    asked = threading.Thread(target=gate.interrupt, args=(run_id,))
    asked.start()
    asked.join()


def deliver():
    """Lets the main thread run the Python-level handler of a signal that has arrived."""
    for _ in range(1000):
        pass


class InterruptGateTest(unittest.TestCase):
    def setUp(self):
        self.previous = signal.getsignal(signal.SIGINT)
        self.gate = InterruptGate()

    def tearDown(self):
        signal.signal(signal.SIGINT, self.previous)

    def test_raises_in_the_user_code_of_its_run(self):
        self.gate.enter(1)
        with self.assertRaises(KeyboardInterrupt):
            from_reader(self.gate, 1)
            deliver()
        self.gate.leave()

    def test_waits_for_a_write_to_finish(self):
        self.gate.enter(1)
        self.gate.hold()
        from_reader(self.gate, 1)
        deliver()  # nothing raises mid-write
        with self.assertRaises(KeyboardInterrupt):
            self.gate.release()
        self.gate.leave()

    def test_one_that_comes_before_the_user_code_raises_when_it_starts(self):
        from_reader(self.gate, 2)
        deliver()  # e.g. while the agent sends the busy status
        with self.assertRaises(KeyboardInterrupt):
            self.gate.enter(2)
        self.gate.leave()

    def test_one_that_comes_after_the_user_code_is_dropped(self):
        self.gate.enter(3)
        self.gate.leave()
        from_reader(self.gate, 3)
        deliver()  # e.g. while the agent builds the error event or writes the result
        self.gate.enter(4)  # the next run is not hit by it
        self.gate.hold()
        self.gate.release()
        self.gate.leave()

    def test_puts_itself_back_when_user_code_restores_the_default_handler(self):
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.gate.enter(5)
        self.gate.hold()
        from_reader(self.gate, 5)
        deliver()
        with self.assertRaises(KeyboardInterrupt):
            self.gate.release()
        self.gate.leave()


if __name__ == "__main__":
    unittest.main()
