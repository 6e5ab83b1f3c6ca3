"""Every agent file must parse as Python 3.8, the oldest Python pydock supports."""
import ast
import pathlib
import unittest

ROOT = pathlib.Path(__file__).resolve().parent.parent


class Python38SyntaxTest(unittest.TestCase):
    def test_agent_files_parse_as_python_38(self):
        files = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts]
        self.assertGreater(len(files), 5)
        for path in files:
            with self.subTest(file=str(path.relative_to(ROOT))):
                ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 8))
