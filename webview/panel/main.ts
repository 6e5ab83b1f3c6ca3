// The session panel webview: entry point (being written).
