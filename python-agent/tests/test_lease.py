"""The lease: requests renew it, a heartbeat may set its grace, and it expires with no request for that long."""
import threading
import unittest

from pydock_agent.lease import DEFAULT_GRACE_S, Lease


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class LeaseTest(unittest.TestCase):
    def test_requests_renew_it(self):
        clock = FakeClock()
        lease = Lease(lambda grace: None, clock=clock)
        clock.now += DEFAULT_GRACE_S - 1
        self.assertAlmostEqual(lease.remaining_s(), 1)
        lease.renew()
        self.assertAlmostEqual(lease.remaining_s(), DEFAULT_GRACE_S)

    def test_a_heartbeat_sets_the_grace(self):
        clock = FakeClock()
        lease = Lease(lambda grace: None, clock=clock)
        lease.renew(2500)
        self.assertAlmostEqual(lease.remaining_s(), 2.5)
        lease.renew(None)
        self.assertAlmostEqual(lease.remaining_s(), 2.5, msg="a plain request keeps the grace it was given")

    def test_expires_with_no_request_for_the_grace(self):
        expired = threading.Event()
        lease = Lease(lambda grace: expired.set(), grace_s=0.05)
        lease.watch()
        self.assertTrue(expired.wait(5), "the lease did not expire within 5 s of a 50 ms grace")


if __name__ == "__main__":
    unittest.main()
