// The table viewer webview: entry point (being written).
