"""Unit tests of the pydock agent; run with `python3 -m unittest discover -s tests` from python-agent/."""
