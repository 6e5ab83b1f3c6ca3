"""The agent protocol as the agent follows it: message kinds, their fields and the value extension codes.

Mirrors shared/agentProtocolTables.ts (the tables of shared/agentProtocol.ts's types);
test/unit/protocolAgreement.test.ts checks that the two agree.
A field ending in "?" may be absent.
"""

VERSION = "1"

REQUESTS = {
    # lastSeq asks for the kept events after it (a reattach); sync: bytes the agent writes raw just before the hello.
    "hello": ("id", "lastSeq?", "sync?"),
    # Events up to seq were shown: the agent forgets them. Also the heartbeat: with no request for graceMs, it exits.
    "ack": ("id?", "seq", "graceMs?"),
    # Are you there? Sent when the stream has been quiet; the reader thread answers with a pong at once.
    "ping": ("id?",),
    # numbers (a NumberFormat): how the numbers of a repl result's table preview read.
    "exec": ("id", "code", "file?", "line?", "mode?", "numbers?"),
    "eval": ("id", "expr", "file?", "line?", "mode?", "numbers?"),
    "define": ("id", "name", "value"),
    "batch": ("id", "steps", "mode?", "numbers?"),
    "interrupt": ("id", "target?"),
    "shutdown": ("id",),
    # Calls and remote object handles: main thread, in order with runs, value mode.
    "call": ("id", "target", "args", "kwargs", "asRef?"),
    "ref.new": ("id", "expr"),
    "ref.get": ("id", "ref", "attr", "asRef?"),
    "ref.call": ("id", "ref", "method", "args", "kwargs", "asRef?"),
    "ref.value": ("id", "ref"),
    "ref.release": ("id", "refs"),
    # Inspection: answered on the inspector thread, beside user code; the result's value is the reply.
    # numbers (a NumberFormat): how the numbers in the reply read; without it they are exact.
    "vars": ("id", "numbers?"),
    "vars.expand": ("id", "path", "expr", "numbers?"),
    # bind (with ref): the name the result's cell ended in; the handle follows it while it names the result.
    "table.open": ("id", "expr?", "ref?", "bind?"),
    "table.rows": ("id", "handle", "start", "end", "columns?", "numbers?"),
    "table.cell": ("id", "handle", "row", "column"),
    "table.sort": ("id", "handle", "keys"),
    # limit: the search may stop once it found this many rows (the schema says partial); the next request finishes it.
    "table.filter": ("id", "handle", "filters", "search?", "limit?"),
    "table.profile": ("id", "handle", "column", "numbers?"),
    "table.export": ("id", "handle", "path", "format"),
    "table.code": ("id", "handle", "name"),
    "table.release": ("id", "handle"),
    "table.changed": ("id", "handle"),
    # Reads the handle's expression again into the same view (sort, filters and search follow their columns).
    "table.refresh": ("id", "handle"),
    # A quick summary of one column of the view, for the overview of every column.
    "table.summary": ("id", "handle", "column", "numbers?"),
    # A figure a display event named by its plot id, drawn again; format: "svg". Reply: the SVG text.
    "plot.render": ("id", "plot", "format"),
    # A language server message (JSON-RPC text), answered on an inspector thread of its own (never behind a table
    # sort); reply: the response's JSON text, "" for a notification.
    "lsp": ("id", "message"),
    # The debugger (debugger.py): dap.open starts debugpy on loopback once and connects to it, as a run (the main thread
    # is the one debugpy traces); dap carries DAP bytes to it, dap.close ends that connection, both beside runs.
    "dap.open": ("id",),
    "dap": ("id?", "data"),
    "dap.close": ("id?",),
}

INSPECT = tuple(kind for kind in REQUESTS if kind.startswith(("vars", "table.", "plot.", "lsp")))

# The steps of a batch: define, exec and eval requests without id and mode.
STEPS = {
    "define": ("name", "value"),
    "exec": ("code", "file?", "line?"),
    "eval": ("expr", "file?", "line?"),
}

EVENTS = {
    # running: the request running now; lastId: the highest request id received (a reattached extension numbers
    # its requests after it); replay: what follows a hello answered with lastSeq.
    "hello": ("seq", "id", "python", "agent", "pid", "cwd", "modules", "running", "lastId", "replay?"),
    "status": ("seq", "id", "state"),
    # The answer to a ping; its seq is the last event's (a pong is not kept for replay).
    "pong": ("seq", "id"),
    "stream": ("seq", "id", "name", "text"),
    # plot: the id the agent keeps the figure under (plot.render draws it again), for matplotlib figures.
    "display": ("seq", "id", "mime", "data", "plot?"),
    "result": ("seq", "id", "pyType", "repr", "value", "table?", "display?", "durationMs"),
    "error": ("seq", "id", "error", "durationMs?"),
    # DAP bytes from debugpy; id: the dap.open whose connection they came on; closed: why it ended (its last event).
    "dap": ("seq", "id", "data", "closed?"),
}

# The objects nested in messages and the inspections' replies ("type" is an ordinary field here).
PAYLOADS = {
    "PythonErrorInfo": ("type", "message", "frames", "text"),
    "TracebackFrame": ("file", "line", "name", "text"),
    "ReplayInfo": ("events", "bytes", "keptEvents", "keptBytes", "droppedEvents", "droppedBytes"),
    "AgentModules": ("numpy", "pandas", "msgpack", "matplotlib"),
    "DisplayData": ("mime", "data", "plot?"),
    "TablePreview": ("kind", "shape", "columns", "dtypes", "indexNames", "index", "rows", "ref"),
    "VariablesReply": ("variables", "truncated"),
    "VariableInfo": ("name", "path", "expr", "type", "repr", "shown?", "shape?", "kind", "expandable", "tabular"),
    # source: the expression a live view follows (absent: a snapshot); partial: the search found the first rows only.
    "TableSchema": ("handle", "kind", "columns", "indexLevels", "totalRows", "filteredRows", "sort", "filters", "search",
                    "source?", "partial?"),
    "TableColumn": ("name", "levels", "dtype", "kind"),
    "TableRows": ("start", "positions", "index", "cells", "firstColumn", "filteredRows"),
    "SortKey": ("column", "descending"),
    "ColumnProfile": ("column", "count", "nullCount", "distinct?", "min?", "max?", "mean?", "std?", "quantiles?",
                      "histogram?", "top?"),
    "TableExportReply": ("path", "rows"),
    "NumberFormat": ("precision", "thousands"),
    # sample: the rows distinct and top were counted in, when fewer than the view's.
    "ColumnSummary": ("column", "count", "nullCount", "distinct?", "min?", "max?", "mean?", "bins?", "top?", "sample?"),
}

_COMPARE = ("column", "op", "value")
_TEXT = ("column", "op", "value", "caseSensitive?")
# A column filter's fields, by its operator.
FILTERS = {
    "eq": _COMPARE, "ne": _COMPARE, "lt": _COMPARE, "le": _COMPARE, "gt": _COMPARE, "ge": _COMPARE,
    "between": ("column", "op", "value", "value2"),
    "contains": _TEXT, "regex": _TEXT,
    "isnull": ("column", "op"), "notnull": ("column", "op"),
    "in": ("column", "op", "values"),
}

# Where payloads sit: "message type or payload name.field" -> the payload ("[]": a list of them).
NESTED = {
    "hello.replay": "ReplayInfo",
    "hello.modules": "AgentModules",
    "error.error": "PythonErrorInfo",
    "result.table": "TablePreview",
    "result.display": "DisplayData[]",
    "PythonErrorInfo.frames": "TracebackFrame[]",
    "VariablesReply.variables": "VariableInfo[]",
    "TableSchema.columns": "TableColumn[]",
    "TableSchema.sort": "SortKey[]",
    "TableSchema.filters": "ColumnFilter[]",
}

# The values an enumerated field takes.
ENUMS = {
    "status.state": ("busy", "idle"),
    "stream.name": ("stdout", "stderr"),
    "DisplayData.mime": ("image/png", "image/svg+xml", "text/html", "text/plain"),
    "TablePreview.kind": ("dataframe", "series", "ndarray"),
    "VariableInfo.kind": ("module", "function", "class", "private", "data"),
    "TableSchema.kind": ("dataframe", "series", "ndarray", "records", "columns", "grid"),
    "TableColumn.kind": ("int", "float", "bool", "complex", "str", "bytes", "datetime", "timedelta", "period", "interval",
                         "category", "object"),
}

# What each inspection answers with: a payload name, or a JSON type.
INSPECT_REPLIES = {
    "vars": "VariablesReply", "vars.expand": "VariablesReply",
    "table.open": "TableSchema", "table.rows": "TableRows", "table.cell": "string", "table.sort": "TableSchema",
    "table.filter": "TableSchema", "table.profile": "ColumnProfile", "table.export": "TableExportReply",
    "table.code": "string", "table.release": "null", "table.changed": "boolean", "table.refresh": "TableSchema",
    "table.summary": "ColumnSummary", "plot.render": "string", "lsp": "string",
}

# Cell codes for values that are not text: None, NaN, NaT, pd.NA, inf, -inf.
SPECIAL = {"none": 0, "nan": 1, "nat": 2, "na": 3, "posinf": 4, "neginf": 5}

# Value extension type codes (0x42 is msgpackr's arbitrary-size integer).
EXT = {
    "bigint": 0x42,
    "float": 1,
    "marker": 2,
    "na": 3,
    "remove": 4,
    "ref": 5,
    "uri": 6,
    "date": 7,
    "time": 8,
    "datetime": 9,
    "map": 10,
    "grid": 11,
    "matrix": 12,
    "opaque": 13,
    "objref": 14,
}
