"""jedi's static analysis of the document, for what the live namespace cannot answer: optional, guarded, never required.

jedi reads only the document's text (`jedi.Script`, never `jedi.Interpreter`: nothing live is touched) on a thread of its
own. The thread asking waits at most `budget_s`; a call still running holds a lock that no second call waits on, so at
most one jedi call is ever in flight and a slow one costs later requests nothing but jedi's answer.
"""
import inspect
import os
import queue
import sysconfig
import tempfile
import threading

from .text import index_to_utf16

# jedi reads sysconfig's variables on its thread, and before Python 3.12 they are filled without a lock: user code
# reading them meanwhile saw them half made (zoneinfo's TZPATH empty, so pandas knew no time zone). Made whole at start.
sysconfig.get_config_vars()

BUDGET_S = 0.25
MAX_ITEMS = 200
DETAIL = "static (jedi)"
# LSP CompletionItemKind by jedi's completion type
_KINDS = {"module": 9, "class": 7, "instance": 6, "function": 3, "param": 6, "path": 17, "keyword": 14,
          "property": 10, "statement": 6}
LATE = object()  # jedi is busy, or did not answer within the budget: the client should ask again


class StaticAnalysis:
    def __init__(self):
        self.budget_s = BUDGET_S
        self.enabled = True  # a client beside another static server (Pylance) turns it off
        self._missing = False  # jedi could not be imported: not asked again

    def completions(self, document, line, index):
        """(LSP items, whether the list is incomplete) that jedi completes at (line, str index) of the document."""
        found = self._ask(lambda jedi: _script(jedi, document).complete(line + 1, index))
        if found is LATE:
            return [], True
        items = []
        for completion in found or ():
            name = completion.name
            typed = name[:len(name) - len(completion.complete or "")]
            if name.startswith("__") and not typed.startswith("_"):
                continue
            items.append({"label": name, "kind": _KINDS.get(completion.type, 1), "detail": DETAIL,
                          "labelDetails": {"description": completion.type}, "sortText": "z%04d" % len(items)})
        return items[:MAX_ITEMS], len(items) > MAX_ITEMS

    def signature_help(self, document, line, index):
        """An LSP SignatureHelp of the call at (line, str index) as jedi reads it, or None."""
        found = self._ask(lambda jedi: _signatures(_script(jedi, document).get_signatures(line + 1, index)))
        return None if found is LATE else found

    def warm(self):
        """Starts jedi without waiting (its import, its subprocess, the builtins' stubs: about half a second, once), so
        the first file's completions fit the budget."""
        self._start(lambda jedi: jedi.Script("").complete(1, 0))

    def _ask(self, work):
        """work(jedi) on jedi's thread: its value, None when jedi is off, missing or failed, LATE when busy or late."""
        done = self._start(work)
        if done is None or done is LATE:
            return done
        if not done.wait(self.budget_s):
            return LATE
        self._missing = done.answer.get("missing", False)
        return done.answer.get("value")

    def _start(self, work):
        if not self.enabled or self._missing:
            return None
        return JEDI_THREAD.start(work)


class _JediThread:
    """The process's one jedi thread (jedi is not thread-safe), and the lock held while a call is in flight."""

    def __init__(self):
        self.in_flight = threading.Lock()
        self._jobs = queue.Queue()
        self._worker = None

    def start(self, work):
        """The Event set when work(jedi) is done, its answer on it; LATE when a call is in flight."""
        if not self.in_flight.acquire(blocking=False):
            return LATE
        if self._worker is None:
            self._worker = threading.Thread(target=self._serve, name="pydock-jedi", daemon=True)
            self._worker.start()
        done = threading.Event()
        done.answer = {}
        self._jobs.put((work, done))
        return done

    def _serve(self):
        while True:
            work, done = self._jobs.get()
            try:
                try:
                    jedi = self._jedi()
                except ImportError:
                    done.answer["missing"] = True
                else:
                    done.answer["value"] = work(jedi)
            except Exception:  # jedi failing on odd text costs its static items, never the live answer
                pass
            finally:
                self.in_flight.release()
                done.set()

    @staticmethod
    def _jedi():
        import jedi  # once imported, a lookup in sys.modules
        _writable_cache(jedi.settings)  # a makedirs of a directory that is there: a stat
        return jedi


JEDI_THREAD = _JediThread()


def _writable_cache(settings):
    """jedi's cache moved to the temporary directory when its own (~/.cache) cannot be made: another user, a read-only root."""
    try:
        os.makedirs(settings.cache_directory, exist_ok=True)
    except OSError:
        settings.cache_directory = os.path.join(tempfile.gettempdir(), "pydock-jedi-cache")


def _script(jedi, document):
    """A Script of the text alone: the URI is the host's path, so jedi's project is the session's working directory."""
    return jedi.Script(document)


def _signatures(found):
    """jedi's signatures (overloads) as an LSP SignatureHelp, the parameter being written marked."""
    if not found:
        return None
    signatures = []
    for signature in found:
        label = signature.to_string()
        offsets, at = [], label.find("(") + 1
        for param in signature.params:
            text = param.to_string()
            start = label.find(text, at)
            if start < 0:
                break
            offsets.append([index_to_utf16(label, start), index_to_utf16(label, start + len(text))])
            at = start + len(text)
        info = {"label": label, "parameters": [{"label": offset} for offset in offsets]}
        doc = signature.docstring(raw=True)
        if doc:
            info["documentation"] = {"kind": "markdown", "value": inspect.cleandoc(doc).split("\n\n")[0] + "\n\n*" + DETAIL + "*"}
        signatures.append(info)
    active = found[0].index
    return {"signatures": signatures, "activeSignature": 0, "activeParameter": active if active is not None else 0}
