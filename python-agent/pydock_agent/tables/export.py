"""Writes the whole current view of a table as CSV or TSV to a file in the session's file system, in chunks."""
import csv
import os
import tempfile

from . import vectors
from .formatting import NULL_CODES, SPECIAL_TEXT, text_or_code

DELIMITERS = {"csv": ",", "tsv": "\t"}
ROOTS = ("/workspace", "/io")  # where an absolute path may point, besides the working directory's tree
CHUNK_ROWS = 10000


def export(handle, path, format, check):
    """Writes the view to path (whole, or not at all: a cancelled export leaves no file). Reply: {path, rows}."""
    if format not in DELIMITERS:
        raise ValueError("export writes csv or tsv, not %r" % (format,))
    target = allowed_path(path)
    handle.complete(check)
    table = handle.table
    labelled = table.has_labels()
    header = ([level["name"] for level in table.index_levels] if labelled else []) + [c.name for c in table.columns]
    rows = handle.row_count
    descriptor, temporary = tempfile.mkstemp(prefix=".pydock-export-", dir=os.path.dirname(target))
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, delimiter=DELIMITERS[format], lineterminator="\n")
            writer.writerow(header)
            for start in range(0, rows, CHUNK_ROWS):
                check()
                positions = handle.positions(start, min(rows, start + CHUNK_ROWS))
                columns = [[_text(v) for v in vectors.take(column, positions)] for column in table.columns]
                if labelled:
                    columns[:0] = [[_text(v) for v in level] for level in zip(*table.index_values(positions))]
                writer.writerows(zip(*columns) if columns else [()] * len(positions))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is for the user to read
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return {"path": target, "rows": rows}


def allowed_path(path):
    """The absolute, symlink-free form of path, if it stays in the working directory's tree or under ROOTS."""
    cwd = os.path.realpath(os.getcwd())
    target = os.path.realpath(os.path.join(cwd, path))
    roots = [cwd] + ([os.path.realpath(r) for r in ROOTS] if os.path.isabs(path) else [])
    if not any(os.path.commonpath([target, root]) == root for root in roots):
        raise PermissionError("export may write inside %s%s, not to %s" % (
            cwd, " (or an absolute path under %s)" % " or ".join(ROOTS), path))
    if not os.path.isdir(os.path.dirname(target)):
        raise FileNotFoundError("the folder %s does not exist" % os.path.dirname(target))
    return target


def _text(value):
    """Missing values as empty fields; everything else as the viewer shows it, whole."""
    text = text_or_code(value)
    if type(text) is str:
        return text
    return "" if text in NULL_CODES else SPECIAL_TEXT[text]
