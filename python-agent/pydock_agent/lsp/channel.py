"""The language server's inspector thread, which reads each $/cancelRequest as it arrives rather than in its turn."""
from ..inspector import Inspector
from .server import LspServer


class LanguageInspector(Inspector):
    """Answers `lsp` requests on a thread of its own: a completion never waits behind a long table sort."""

    def __init__(self, reply, namespace):
        super().__init__(reply, "pydock-lsp")
        self.server = LspServer(namespace)
        self.handlers["lsp"] = self.server.answer

    def submit(self, request):
        self.server.note_cancel(request["message"])  # the request it cancels may be queued ahead of it
        super().submit(request)
