"""Runs user code in the session namespace, as a REPL does, with its real file name and line numbers."""
import ast
import linecache
import os
import textwrap
import traceback

_RUNNER_FILE = os.path.abspath(__file__)
NO_VALUE = object()


class Runner:
    def __init__(self, namespace):
        self.namespace = namespace
        self._file_lines = {}

    def exec(self, code, file=None, line=None):
        """Runs statements; returns the value of a trailing expression, or NO_VALUE (also after a trailing ';')."""
        file = file or "<pydock>"
        tree = ast.parse(self._place(code, file, line), file, "exec")
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr) and not code.rstrip().endswith(";"):
            tree.body.pop()
            exec(compile(tree, file, "exec"), self.namespace)
            return eval(compile(ast.Expression(last.value), file, "eval"), self.namespace)
        exec(compile(tree, file, "exec"), self.namespace)
        return NO_VALUE

    def eval(self, expr, file=None, line=None):
        file = file or "<pydock>"
        return eval(compile(self._place(expr, file, line), file, "eval"), self.namespace)

    def define(self, name, value):
        if not name.isidentifier():
            raise ValueError("define: %r is not a Python identifier" % (name,))
        self.namespace[name] = value

    def _place(self, code, file, line):
        """Pads code so its line numbers are the file's, and remembers the text for tracebacks."""
        code = textwrap.dedent(code)  # a selection from inside a block
        offset = max((line or 1) - 1, 0)
        lines = self._file_lines.setdefault(file, [])
        new = code.splitlines(True)
        if len(lines) < offset + len(new):
            lines.extend(["\n"] * (offset + len(new) - len(lines)))
        lines[offset:offset + len(new)] = [l if l.endswith("\n") else l + "\n" for l in new]
        linecache.cache[file] = (sum(map(len, lines)), None, lines, file)
        return "\n" * offset + code


def describe_error(exc):
    """The error event's body: type, message, user frames (agent frames removed) and the formatted text."""
    summary = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    _drop_agent_frames(summary, exc)
    frames = [{"file": f.filename, "line": f.lineno, "name": f.name, "text": f.line or ""} for f in summary.stack]
    if isinstance(exc, SyntaxError) and exc.filename:
        frames.append({"file": exc.filename, "line": exc.lineno or 0, "name": "<module>", "text": (exc.text or "").strip()})
    return {
        "type": type(exc).__name__,
        "message": _message(exc),
        "frames": frames,
        "text": "".join(summary.format()),
    }


def _message(exc):
    if isinstance(exc, SyntaxError):
        return exc.msg or str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    try:
        return str(exc)
    except Exception:
        return "<unprintable %s>" % type(exc).__name__


def _drop_agent_frames(summary, exc):
    """Keeps the frames below the runner's exec/eval: the user's code and what it called."""
    seen = set()
    while summary is not None and exc is not None and id(summary) not in seen:
        seen.add(id(summary))
        stack = list(summary.stack)
        entries = [i for i, f in enumerate(stack) if os.path.abspath(f.filename) == _RUNNER_FILE]
        if entries:
            stack = stack[entries[-1] + 1:]
            if isinstance(exc, SyntaxError) and all(os.path.basename(f.filename) == "ast.py" for f in stack):
                stack = []  # the user's code did not compile: no frame of it ran
        summary.stack = traceback.StackSummary.from_list(stack)
        if summary.__cause__ is not None:
            summary, exc = summary.__cause__, exc.__cause__
        else:
            summary, exc = summary.__context__, exc.__context__
