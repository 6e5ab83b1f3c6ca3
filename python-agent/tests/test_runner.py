"""Running code as a REPL does: trailing expressions, real file names and line numbers in tracebacks."""
import unittest

from pydock_agent.runner import NO_VALUE, Runner, describe_error


def run_error(runner, code, **where):
    try:
        runner.exec(code, **where)
    except BaseException as exc:  # noqa: B902 - the test wants whatever the code raised
        return describe_error(exc)
    raise AssertionError("the code did not raise")


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self.runner = Runner({"__name__": "__main__"})

    def test_trailing_expression_is_the_value(self):
        self.assertEqual(self.runner.exec("x = 20\nx * 2 + 2"), 42)

    def test_statements_alone_have_no_value(self):
        self.assertIs(self.runner.exec("x = 1"), NO_VALUE)

    def test_trailing_semicolon_hides_the_value(self):
        self.assertIs(self.runner.exec("1 + 1;"), NO_VALUE)

    def test_namespace_persists_between_runs(self):
        self.runner.exec("def f(a):\n    return a * 3")
        self.assertEqual(self.runner.eval("f(14)"), 42)

    def test_define(self):
        self.runner.define("answer", 42)
        self.assertEqual(self.runner.eval("answer"), 42)
        with self.assertRaises(ValueError):
            self.runner.define("not valid", 1)

    def test_indented_selection_runs(self):
        self.assertEqual(self.runner.exec("    y = 2\n    y + 1"), 3)

    def test_traceback_points_at_the_file_and_line(self):
        error = run_error(self.runner, "a = 1\n\ndef g():\n    raise KeyError('k')\ng()", file="/ws/analysis.py", line=20)
        self.assertEqual(error["type"], "KeyError")
        self.assertEqual([(f["file"], f["line"], f["name"]) for f in error["frames"]],
                         [("/ws/analysis.py", 24, "<module>"), ("/ws/analysis.py", 23, "g")])
        self.assertEqual(error["frames"][1]["text"], "raise KeyError('k')")
        self.assertNotIn("pydock_agent", error["text"], "agent frames are hidden")

    def test_frames_of_earlier_cells_keep_their_source(self):
        self.runner.exec("def h():\n    return 1 / 0", file="/ws/a.py", line=1)
        error = run_error(self.runner, "h()", file="/ws/a.py", line=10)
        self.assertEqual([(f["line"], f["text"]) for f in error["frames"]], [(10, "h()"), (2, "return 1 / 0")])

    def test_syntax_error_has_the_line(self):
        error = run_error(self.runner, "x = 1\ny = (", file="/ws/b.py", line=5)
        self.assertEqual(error["type"], "SyntaxError")
        self.assertEqual(error["frames"][-1]["line"], 6)

    def test_keyboard_interrupt_and_system_exit_are_errors_not_exits(self):
        self.assertEqual(run_error(self.runner, "raise KeyboardInterrupt")["message"], "interrupted")
        self.assertEqual(run_error(self.runner, "import sys; sys.exit(3)")["type"], "SystemExit")

    def test_chained_exceptions_show_both(self):
        error = run_error(self.runner, "try:\n    1/0\nexcept Exception as e:\n    raise ValueError('wrapped') from e")
        self.assertIn("ZeroDivisionError", error["text"])
        self.assertIn("ValueError: wrapped", error["text"])
