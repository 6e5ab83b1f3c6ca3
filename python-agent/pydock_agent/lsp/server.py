"""The language server's JSON-RPC: one message in, its response out, answered from the live namespace."""
import collections
import json
import threading

from . import completion, describe, live, signature, text
from .static import StaticAnalysis

TRIGGERS = [".", "[", '"', "'"]
SIGNATURE_TRIGGERS = ["(", ","]
# JSON-RPC error codes, and LSP's RequestCancelled
_METHOD_NOT_FOUND, _INVALID_PARAMS, _INTERNAL, _REQUEST_CANCELLED = -32601, -32602, -32603, -32800
_CANCEL = '"$/cancelRequest"'
_KEPT_IDS = 256  # cancels of requests never seen, and ids answered: a bounded memory of each


class LspServer:
    """Answers LSP requests on the inspector thread; documents are kept whole (full sync)."""

    def __init__(self, namespace):
        self._namespace = namespace
        self._documents = {}
        self.static = StaticAnalysis()
        self._cancel_lock = threading.Lock()
        self._cancelled = collections.OrderedDict()
        self._answered = collections.deque(maxlen=_KEPT_IDS)
        self.methods = {
            "initialize": self._initialize, "shutdown": lambda params: None,
            "textDocument/completion": self._completion, "completionItem/resolve": self._resolve,
            "textDocument/hover": self._hover, "textDocument/signatureHelp": self._signature,
        }
        self._notifications = {
            "textDocument/didOpen": self._opened, "textDocument/didChange": self._changed,
            "textDocument/didClose": self._closed,
        }

    def answer(self, request):
        """An `lsp` request's reply."""
        return self.handle(request["message"])

    def handle(self, message_text):
        """The JSON text of the response to a request; "" for a notification (which has none)."""
        message = json.loads(message_text)
        method = message.get("method")
        if "id" not in message:
            handler = self._notifications.get(method)
            if handler is not None:
                handler(message.get("params") or {})
            return ""
        if self._take_cancel(message["id"]):
            return _error(message["id"], _REQUEST_CANCELLED, "%s was cancelled by the client before it was answered" % method)
        try:
            return self._answer(message, method)
        finally:
            with self._cancel_lock:
                self._answered.append(message["id"])

    def note_cancel(self, message_text):
        """Reads a $/cancelRequest as it arrives (on the agent's reading thread), ahead of the requests queued before it.

        The request it names is answered RequestCancelled when its turn comes; one already answered is left alone."""
        if _CANCEL not in message_text:
            return
        try:
            request_id = json.loads(message_text)["params"]["id"]
            with self._cancel_lock:
                if request_id not in self._answered:
                    self._cancelled[request_id] = True
                    if len(self._cancelled) > _KEPT_IDS:
                        self._cancelled.popitem(last=False)
        except (ValueError, KeyError, TypeError):  # not a cancel after all (the text only mentions one), or malformed
            pass

    def _take_cancel(self, request_id):
        with self._cancel_lock:
            return self._cancelled.pop(request_id, None) is not None

    def _answer(self, message, method):
        handler = self.methods.get(method)
        if handler is None:
            return _error(message["id"], _METHOD_NOT_FOUND, "pydock's live server does not answer %s" % method)
        try:
            result = handler(message.get("params") or {})
        except (KeyError, TypeError, IndexError) as exc:
            return _error(message["id"], _INVALID_PARAMS, "%s: %s: %s" % (method, type(exc).__name__, exc))
        except Exception as exc:  # a fault answering one request fails that request, never the session
            return _error(message["id"], _INTERNAL, "%s failed: %s: %s" % (method, type(exc).__name__, exc))
        return json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}, default=str)

    def _initialize(self, params):
        # A client beside another static server (Pylance) turns jedi off, so the two do not offer the same items.
        self.static.enabled = (params.get("initializationOptions") or {}).get("staticCompletions", True) is not False
        self.static.warm()
        return {
            "capabilities": {
                "textDocumentSync": {"openClose": True, "change": 1},
                "completionProvider": {"triggerCharacters": TRIGGERS, "resolveProvider": True},
                "hoverProvider": True,
                "signatureHelpProvider": {"triggerCharacters": SIGNATURE_TRIGGERS, "retriggerCharacters": [")"]},
            },
            "serverInfo": {"name": "pydock-live"},
        }

    def _opened(self, params):
        document = params["textDocument"]
        self._documents[document["uri"]] = document["text"]

    def _changed(self, params):
        for change in params["contentChanges"]:
            self._documents[params["textDocument"]["uri"]] = change["text"]

    def _closed(self, params):
        self._documents.pop(params["textDocument"]["uri"], None)

    def _position(self, params):
        """(document text, line, str index, line text) of a request's position."""
        document = self._documents.get(params["textDocument"]["uri"], "")
        line = params["position"]["line"]
        lines = document.split("\n", line + 1)  # the lines after the cursor's are not needed
        current = lines[line] if line < len(lines) else ""
        return document, line, text.utf16_to_index(current, params["position"]["character"]), current

    def _completion(self, params):
        document, line, index, current = self._position(params)
        return completion.complete(self._namespace, document, line, current, index, self.static)

    def _resolve(self, item):
        expr = (item.get("data") or {}).get("expr")
        obj = live.lookup(self._namespace, expr)
        if obj is not live.Unknown:
            shown = signature.signature_of(obj)
            doc = describe.first_paragraph(obj)
            head = "```python\n%s%s\n```" % (expr.rsplit(".", 1)[-1], shown if shown is not None else ": " + describe.type_label(obj))
            item["documentation"] = {"kind": "markdown", "value": head + ("\n\n" + doc if doc else "")}
        return item

    def _hover(self, params):
        _, _, index, current = self._position(params)
        expr = text.expression_at(current, index)
        obj = live.lookup(self._namespace, expr)
        if obj is live.Unknown:
            return None
        parts = ["```python\n%s: %s\n```" % (expr, describe.type_label(obj))]
        for extra in (describe.summary(obj), describe.dtypes(obj)):
            if extra:
                parts.append(extra)
        shown = describe.bounded_repr(obj)
        if shown is not None:
            parts.append("```\n%s\n```" % shown)
        doc = describe.first_paragraph(obj)
        if doc and not live.known_type(obj, "pandas", "DataFrame"):
            parts.append(doc)
        return {"contents": {"kind": "markdown", "value": "\n\n".join(parts) + "\n\n*live*"}}

    def _signature(self, params):
        document, line, index, current = self._position(params)
        call = text.call_context(current[:index])
        if call is None:
            return None
        callee, active, keyword = call
        obj = live.lookup(self._namespace, callee)
        if obj is live.Unknown:
            return self.static.signature_help(document, line, index)
        return signature.signature_help(obj, callee.rsplit(".", 1)[-1], active, keyword, describe.first_paragraph(obj))


def _error(request_id, code, message):
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}})
