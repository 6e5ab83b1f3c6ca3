"""Starts the pydock agent: `python3 agent.py`, with the protocol on stdin/stdout."""
import sys

if sys.version_info < (3, 8):
    sys.stderr.write("pydock needs Python 3.8 or newer; this image has %s\n" % sys.version.split()[0])
    sys.exit(78)

sys.path.insert(0, "")  # user modules in the working directory import as in a REPL

from pydock_agent.server import main  # noqa: E402

main()
