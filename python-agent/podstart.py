"""Starts the agent (or, given a command, a job) in a Kubernetes pod: unpacks the workspace sent on stdin, then runs it.

A pod's stdout reaches pydock only once it has attached, so the agent must not say hello before. pydock sends tars
as the first bytes on stdin, each after its 8-byte length, and a zero length after the last (or alone: nothing to copy).
"""
import io
import os
import sys
import tarfile


def take(count):
    data = bytearray()
    while len(data) < count:
        chunk = os.read(0, count - len(data))
        if not chunk:
            sys.exit("pydock: stdin closed before the workspace arrived")
        data += chunk
    return bytes(data)


size = int.from_bytes(take(8), "big")
while size:
    archive = tarfile.open(fileobj=io.BytesIO(take(size)))
    safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    for member in archive:  # one member refused (a link out of the workspace) leaves the others in place
        try:
            archive.extract(member, "/", **safe)
        except (tarfile.TarError, OSError) as error:
            sys.stderr.write("pydock: %s was not copied in: %s\n" % (member.name, error))
    size = int.from_bytes(take(8), "big")
if len(sys.argv) > 1:  # a job: its command, reading no input (input() sees the end, as in a Docker job)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.execvp(sys.argv[1], sys.argv[1:])
here = os.path.dirname(os.path.abspath(__file__))
os.execv(sys.executable, [sys.executable, os.path.join(here, "agent.py")])
