"""Inside a pydock job: progress(fraction, message) for the UI, and call(), which runs a job's module:function."""
import importlib
import json
import os
import sys

# A line that starts with this on stderr is progress, not output: pydock reads it from the log and leaves it out of log.txt.
PROGRESS_MARK = "\x1epydock:progress "


def progress(fraction, message=""):
    """Says how far the job is (0.0 to 1.0) and what it does now; shown by pydock while the job runs."""
    fraction = min(1.0, max(0.0, float(fraction)))
    sys.stderr.write(PROGRESS_MARK + json.dumps({"fraction": fraction, "message": str(message)}) + "\n")
    sys.stderr.flush()


def outputs():
    """The folder whose files pydock collects when the job ends ($PYDOCK_OUTPUTS)."""
    return os.environ.get("PYDOCK_OUTPUTS", "/outputs")


def call(target, args_json):
    """Imports module and calls function(*args) for a JSON list, or function(**args) for a JSON object.

    A result that is not None is printed and kept as result.json among the outputs."""
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise SystemExit("pydock job: the target must be module:function, not %r" % target)
    sys.path.insert(0, os.getcwd())
    function = importlib.import_module(module_name)
    for part in function_name.split("."):
        function = getattr(function, part)
    args = json.loads(args_json) if args_json else []
    result = function(**args) if isinstance(args, dict) else function(*args)
    if result is not None:
        text = json.dumps(result, default=repr)
        print(text)
        os.makedirs(outputs(), exist_ok=True)
        with open(os.path.join(outputs(), "result.json"), "w") as file:
            file.write(text + "\n")

