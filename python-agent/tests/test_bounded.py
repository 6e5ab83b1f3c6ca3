"""Memory the agent keeps for the extension stays within bytes: size estimates, the bounded store, the result store."""
import sys
import unittest

from pydock_agent.bounded import BoundedStore
from pydock_agent.results import ResultStore
from pydock_agent.sizes import estimate_bytes

from optional import needs_numpy, needs_pandas, numpy, pandas


def block(size):
    """A new object of about size bytes that nothing but the caller holds."""
    return bytearray(size)


class EstimateTest(unittest.TestCase):
    @needs_numpy
    def test_an_array_is_its_nbytes(self):
        self.assertEqual(estimate_bytes(numpy.zeros((1000, 10))), 80000)

    @needs_pandas
    def test_a_frame_is_its_shallow_memory_usage_not_a_scan_of_its_strings(self):
        frame = pandas.DataFrame({"n": range(100000), "s": ["a long string value %d" % i for i in range(100000)]})
        self.assertEqual(estimate_bytes(frame), frame.memory_usage(deep=False).sum())
        self.assertLess(estimate_bytes(frame), frame.memory_usage(deep=True).sum())
        self.assertEqual(estimate_bytes(frame["n"]), frame["n"].memory_usage(deep=False))

    def test_a_container_counts_its_items_by_the_first(self):
        floats = [float(i) for i in range(100000)]
        self.assertEqual(estimate_bytes(floats), sys.getsizeof(floats) + 100000 * sys.getsizeof(0.0))
        self.assertGreater(estimate_bytes({"k%d" % i: "v" for i in range(1000)}), 1000 * sys.getsizeof("k0"))
        self.assertEqual(estimate_bytes(b"x" * 1000), sys.getsizeof(b"x" * 1000))

    def test_an_object_that_will_not_say_its_size_counts_as_small(self):
        class Broken:
            def __sizeof__(self):
                raise RuntimeError("no")
        self.assertEqual(estimate_bytes(Broken()), 0)


class BoundedStoreTest(unittest.TestCase):
    def test_over_budget_the_least_recently_used_go_first(self):
        store = BoundedStore(max_bytes=3000)
        for key in "abc":
            store.put(key, block(900))
        store.get("a")  # now b is the least recently used
        self.assertEqual(store.put("d", block(900)), ["b"])
        self.assertEqual(sorted(store._values), ["a", "c", "d"])
        self.assertLessEqual(store.bytes, 3000)

    def test_the_newest_stays_even_alone_over_budget(self):
        store = BoundedStore(max_bytes=1000)
        store.put("a", block(100))
        self.assertEqual(store.put("big", block(5000)), ["a"])
        self.assertIn("big", store)

    def test_a_value_something_else_holds_is_never_evicted(self):
        store = BoundedStore(max_bytes=1000)
        variable = block(900)
        store.put("held", variable)
        store.put("alone", block(900))
        self.assertEqual(store.put("newest", block(900)), ["alone"], "letting go of 'held' would free nothing")
        self.assertIs(store.get("held"), variable)

    def test_a_count_bound_too(self):
        store = BoundedStore(max_bytes=1 << 30, max_count=2)
        store.put(1, block(1))
        store.put(2, block(1))
        self.assertEqual(store.put(3, block(1)), [1])

    def test_discard_gives_back_its_bytes(self):
        store = BoundedStore(max_bytes=1 << 30)
        store.put("a", block(1000))
        store.discard("a")
        store.discard("a")
        self.assertEqual((len(store), store.bytes), (0, 0))


class ResultStoreTest(unittest.TestCase):
    def test_results_nothing_else_holds_are_bounded_by_bytes(self):
        results = ResultStore(keep=20, max_bytes=10000)
        refs = [results.put(block(3000)) for _ in range(10)]
        kept = [ref for ref in refs if _has(results, ref)]
        self.assertEqual(kept, refs[-3:], "the newest three fit in 10000 bytes")
        with self.assertRaisesRegex(KeyError, "that result is gone"):
            results.get(refs[0])

    def test_a_result_that_is_also_a_variable_costs_nothing_and_stays(self):
        results = ResultStore(keep=20, max_bytes=10000)
        variable = block(50000)
        ref = results.put(variable)
        for _ in range(5):
            results.put(block(3000))
        self.assertIs(results.get(ref), variable)


def _has(results, ref):
    try:
        results.get(ref)
        return True
    except KeyError:
        return False


if __name__ == "__main__":
    unittest.main()
