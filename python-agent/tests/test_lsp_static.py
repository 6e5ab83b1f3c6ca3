"""jedi's static completion where the live namespace has nothing: optional, on its own thread, within a time budget."""
import os
import subprocess
import sys
import threading
import time
import unittest

from pydock_agent.lsp.static import JEDI_THREAD
from test_lsp import Session

try:
    import jedi
except ImportError:
    jedi = None

needs_jedi = unittest.skipIf(jedi is None, "jedi is not installed here")
WAIT_S = 30  # how long a test waits for an event that must come (a failure, never a timing)
BUDGET_S = 0.05
WITHIN_S = 2.0  # a reply within this of a 50 ms budget did not wait for jedi's 30 s (loose: the machine may be loaded)


def items_of(session, text):
    return session.at_end("textDocument/completion", text)


def jedi_idle():
    """Waits until no jedi call is in flight (one of an earlier test, or a warm-up an initialize started)."""
    if not JEDI_THREAD.in_flight.acquire(timeout=WAIT_S):
        raise AssertionError("a jedi call is still running after %d s" % WAIT_S)
    JEDI_THREAD.in_flight.release()


@needs_jedi
class StaticCompletionTest(unittest.TestCase):
    def setUp(self):
        jedi_idle()
        self.session = Session({"counter": 3, "os": os})
        self.session.server.static.budget_s = WAIT_S  # the first call parses typeshed: no budget in these tests

    def test_a_module_the_session_has_not_imported_completes_statically(self):
        items = items_of(self.session, "import json\njson.du")["items"]
        self.assertIn("dumps", [item["label"] for item in items])
        self.assertEqual({item["detail"] for item in items}, {"static (jedi)"})

    def test_a_chain_through_an_unbound_name(self):
        session = Session({})
        session.server.static.budget_s = WAIT_S
        self.assertIn("join", [item["label"] for item in items_of(session, "import os\nos.path.jo")["items"]])

    def test_a_live_expression_is_answered_live_only(self):
        items = items_of(self.session, "import os\nos.pa")["items"]
        self.assertIn("path", [item["label"] for item in items])
        self.assertEqual({item["detail"] for item in items}, {"live"})

    def test_signature_of_a_function_the_session_lacks(self):
        help_ = self.session.at_end("textDocument/signatureHelp", "import json\njson.dumps(")
        self.assertTrue(help_["signatures"][0]["label"].startswith("dumps(obj"), help_)
        self.assertEqual(help_["activeParameter"], 0)

    def test_jedi_works_where_its_cache_directory_cannot_be_written(self):
        kept = jedi.settings.cache_directory
        self.addCleanup(setattr, jedi.settings, "cache_directory", kept)
        jedi.settings.cache_directory = "/proc/pydock-cache/jedi"  # as ~/.cache under another user or a read-only root
        session = Session({})
        session.server.static.budget_s = WAIT_S
        labels = [item["label"] for item in items_of(session, "import colorsys\ncolorsys.rgb_to")["items"]]
        self.assertIn("rgb_to_hsv", labels)  # a module no other test parses: jedi reads it, and would cache it, now

    def test_the_client_can_turn_static_completion_off(self):
        self.session.request("initialize", {"capabilities": {}, "initializationOptions": {"staticCompletions": False}})
        self.assertEqual(items_of(self.session, "import json\njson.du")["items"], [])


@needs_jedi
class StaticGuardTest(unittest.TestCase):
    """jedi.Script replaced by a call that blocks until released: the answers must not wait for it."""

    def setUp(self):
        self.entered, self.release, self.calls = threading.Event(), threading.Event(), []
        real_script = jedi.Script

        def blocked_script(*args, **kwargs):
            self.calls.append(args)
            self.entered.set()
            self.release.wait(WAIT_S)
            return real_script(*args, **kwargs)

        jedi_idle()
        jedi.Script = blocked_script
        self.addCleanup(jedi_idle)  # cleanups run last first: released, Script restored, its call ended
        self.addCleanup(setattr, jedi, "Script", real_script)
        self.addCleanup(self.release.set)
        self.session = Session({"counter": 3})
        self.session.server.static.budget_s = BUDGET_S

    def answer_in_thread(self, text):
        """The completion list, asked on a thread of its own: a reply that waited for the blocked jedi call never comes."""
        replies = []
        asking = threading.Thread(target=lambda: replies.append(items_of(self.session, text)), daemon=True)
        started = time.perf_counter()
        asking.start()
        asking.join(WAIT_S)
        self.assertEqual(len(replies), 1, "the reply waited for the blocked jedi call")
        self.assertLess(time.perf_counter() - started, WITHIN_S, "the reply waited past the budget")
        return replies[0]

    def test_a_late_jedi_call_does_not_hold_the_reply_and_no_second_call_starts(self):
        first = self.answer_in_thread("import json\njson.du")
        self.assertTrue(self.entered.is_set(), "jedi was asked")
        self.assertEqual(first, {"isIncomplete": True, "items": []}, "without jedi's answer; asked again on the next key")
        second = self.answer_in_thread("import json\njson.dum")
        self.assertEqual(second["items"], [])
        self.assertEqual(len(self.calls), 1, "a second jedi call started while the first was running")
        self.assertTrue(JEDI_THREAD._jobs.empty(), "a second jedi call waits to start after the first")
        self.assertIn("counter", [item["label"] for item in self.answer_in_thread("cou")["items"]], "the live path answers")

    def test_the_live_path_never_asks_jedi(self):
        for text in ("cou", "counter.", "counter.real", "import json\njson"):
            self.answer_in_thread(text)
        self.assertEqual(self.calls, [])


class WithoutJediTest(unittest.TestCase):
    """As on a stock image: jedi cannot be imported (here hidden when it is installed)."""

    def setUp(self):
        jedi_idle()
        hidden = sys.modules.get("jedi", False)
        sys.modules["jedi"] = None  # import jedi raises ImportError
        self.addCleanup(lambda: sys.modules.pop("jedi") if hidden is False else sys.modules.__setitem__("jedi", hidden))
        self.session = Session({"counter": 3})

    def test_everything_answers_and_unbound_names_have_no_items(self):
        self.assertEqual(items_of(self.session, "import json\njson.du"), {"isIncomplete": False, "items": []})
        self.assertIsNone(self.session.at_end("textDocument/signatureHelp", "import json\njson.dumps("))
        self.assertIn("counter", [item["label"] for item in items_of(self.session, "cou")["items"]])


if __name__ == "__main__":
    unittest.main()


# A thread reading sysconfig's variables for the first time, and the user's code reading them meanwhile: as the jedi
# thread's first call and a cell's `import pandas` (zoneinfo's TZPATH) meet.
FIRST_READ_RACE = """
import sys, sysconfig, threading
import pydock_agent.lsp.static
sys.setswitchinterval(1e-6)
first = threading.Thread(target=sysconfig.get_config_vars)
first.start()
while sysconfig._CONFIG_VARS is None:
    pass
seen = sysconfig.get_config_var("TZPATH")
first.join()
print("whole" if seen == sysconfig.get_config_var("TZPATH") else "half made")
"""


class SysconfigBeforeJediTest(unittest.TestCase):
    def test_user_code_never_sees_sysconfig_half_made_by_the_jedi_thread(self):
        agent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", FIRST_READ_RACE], cwd=agent, capture_output=True, text=True, timeout=60)
            self.assertEqual(out.stdout.strip(), "whole", out.stderr)

