"""The live-namespace language server: LSP JSON-RPC answered from the session's namespace, never running user code."""
