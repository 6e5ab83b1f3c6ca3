"""Inside a job: progress() writes the mark pydock reads from the log, and call() runs module:function with JSON arguments."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

from pydock import jobs


class ProgressTest(unittest.TestCase):
    def test_a_marked_stderr_line_of_json_clamped_to_0_and_1(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            jobs.progress(0.25, "a quarter")
            jobs.progress(7, 3)
        lines = err.getvalue().split("\n")[:-1]  # not splitlines(): it splits at the mark's \x1e too
        self.assertTrue(all(line.startswith("\x1epydock:progress ") for line in lines))
        self.assertEqual([json.loads(line.split(" ", 1)[1]) for line in lines],
                         [{"fraction": 0.25, "message": "a quarter"}, {"fraction": 1.0, "message": "3"}])


class CallTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.outputs = os.path.join(self.folder.name, "outputs")
        with open(os.path.join(self.folder.name, "jobmod_for_test.py"), "w") as file:
            file.write("def add(a, b, scale=1):\n    return (a + b) * scale\n\ndef quiet():\n    return None\n")
        self.cwd = os.getcwd()
        os.chdir(self.folder.name)
        os.environ["PYDOCK_OUTPUTS"] = self.outputs

    def tearDown(self):
        os.chdir(self.cwd)
        del os.environ["PYDOCK_OUTPUTS"]
        sys.modules.pop("jobmod_for_test", None)
        sys.path[:] = [p for p in sys.path if p != os.path.realpath(self.folder.name) and p != self.folder.name]
        self.folder.cleanup()

    def run_call(self, target, args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            jobs.call(target, args)
        return out.getvalue()

    def test_a_list_is_positional_an_object_keywords_and_the_result_is_kept(self):
        self.assertEqual(self.run_call("jobmod_for_test:add", "[1, 2]"), "3\n")
        self.assertEqual(self.run_call("jobmod_for_test:add", '{"a": 1, "b": 2, "scale": 10}'), "30\n")
        with open(os.path.join(self.outputs, "result.json")) as file:
            self.assertEqual(json.load(file), 30)

    def test_none_prints_nothing_and_a_bad_target_says_what_it_must_be(self):
        self.assertEqual(self.run_call("jobmod_for_test:quiet", ""), "")
        self.assertFalse(os.path.exists(os.path.join(self.outputs, "result.json")))
        with self.assertRaises(SystemExit) as raised:
            jobs.call("no_function_here", "[]")
        self.assertIn("module:function", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
