"""Reading a document at the cursor: UTF-16 positions, the expression being completed, and the call it sits in."""
import functools
import re

_NAME = r"[^\W\d]\w*"
_KEY = r"\[\s*(?:\"[^\"\\]*\"|'[^'\\]*'|-?\d+)\s*\]"
CHAIN = r"%s(?:\s*\.\s*%s|%s)*" % (_NAME, _NAME, _KEY)
_STEP = re.compile(r"\s*\.\s*(?P<attr>%s)|\[\s*(?:\"(?P<dq>[^\"\\]*)\"|'(?P<sq>[^'\\]*)'|(?P<int>-?\d+))\s*\]" % _NAME)
_KEY_CONTEXT = re.compile(r"(?P<expr>%s)\[\s*(?:(?P<quote>[\"'])(?P<partial>[^\"'\\]*))?$" % CHAIN)
_ATTR_CONTEXT = re.compile(r"(?P<expr>%s)\s*\.\s*(?P<partial>\w*)$" % CHAIN)
_NAME_CONTEXT = re.compile(r"(?<![\w.])(?P<partial>%s)$" % _NAME)
_CHAIN_AT = re.compile(CHAIN)
_DEFINED = re.compile(
    r"^\s*(?:(?:async\s+)?def|class)\s+(%s)" r"|^\s*(%s)\s*(?::[^=\n]*)?=(?!=)" r"|^\s*for\s+(%s)\s+in\b" % (_NAME, _NAME, _NAME),
    re.M)
_IMPORTED = re.compile(r"^\s*(?:from\s+\S+\s+)?import\s+([^#\n]+)", re.M)


def steps(expr):
    """An expression chain as steps: ("name", n), then ("attr", n) or ("key", literal). None when it is not a chain."""
    head = re.match(_NAME, expr)
    if not head:
        return None
    parts = [("name", head.group(0))]
    at = head.end()
    while at < len(expr):
        step = _STEP.match(expr, at)
        if not step:
            return None
        if step.group("attr"):
            parts.append(("attr", step.group("attr")))
        elif step.group("int") is not None:
            parts.append(("key", int(step.group("int"))))
        else:
            parts.append(("key", step.group("dq") if step.group("dq") is not None else step.group("sq")))
        at = step.end()
    return parts


def utf16_to_index(line, character):
    """The str index of an LSP position's character (counted in UTF-16 code units)."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def index_to_utf16(line, index):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in line[:index])


def completion_context(prefix):
    """What the text before the cursor asks for: ("key", expr, quote, partial), ("attr", expr, partial),
    ("name", partial), or None (inside a comment, or nothing to complete)."""
    in_comment, open_quote = _scan(prefix)
    if in_comment:
        return None
    key = _KEY_CONTEXT.search(prefix)
    if key:
        return ("key", key.group("expr"), key.group("quote") or "", key.group("partial") or "")
    if open_quote:
        return None
    attr = _ATTR_CONTEXT.search(prefix)
    if attr:
        return ("attr", attr.group("expr"), attr.group("partial"))
    name = _NAME_CONTEXT.search(prefix)
    if name:
        return ("name", name.group("partial"))
    return None


def expression_at(line, index):
    """The chain under the cursor, up to the end of the step the cursor is in (`df` of `df.shape`, `df["a"]` of `df["a"].sum`)."""
    for match in _CHAIN_AT.finditer(line):
        if match.start() <= index <= match.end():
            end = re.compile(_NAME).match(line, match.start()).end()
            while end < index:
                step = _STEP.match(line, end)
                if not step:
                    break
                end = step.end()
            return line[match.start():end]
    return None


def call_context(prefix):
    """(callee expression, active argument index, keyword being written or None) of the call the cursor is in."""
    depth, commas, keyword = 0, 0, None
    quote = None
    for index in range(len(prefix) - 1, -1, -1):
        char = prefix[index]
        if quote:
            if char == quote:
                quote = None
            continue
        if char in "\"'":
            quote = char
        elif char in ")]}":
            depth += 1
        elif char in "[{" and depth:
            depth -= 1
        elif char == "(":
            if depth:
                depth -= 1
                continue
            callee = re.search(r"(%s)\s*$" % CHAIN, prefix[:index])
            current = prefix[index + 1:].rsplit(",", 1)[-1]
            written = re.match(r"\s*(%s)\s*=(?!=)" % _NAME, current)
            keyword = written.group(1) if written else None
            return (callee.group(1), commas, keyword) if callee else None
        elif char == "," and not depth:
            commas += 1
        elif char in "[{":
            return None
    return None


def defined_names(text):
    """Names the document's own text binds (defs, classes, assignments, loops, imports): another server knows them.

    Read a line at a time, each line's names remembered: a keystroke changes one line of the text sent whole."""
    names = set()
    for line in text.split("\n"):
        names.update(_bound_by(line))
    return names


@functools.lru_cache(maxsize=16384)
def _bound_by(line):
    names = []
    for match in _DEFINED.finditer(line):
        names.extend(g for g in match.groups() if g)
    for match in _IMPORTED.finditer(line):
        for part in match.group(1).replace("(", " ").replace(")", " ").split(","):
            words = part.split()
            if words:
                names.append(words[-1].split(".")[0])
    return tuple(names)


def _scan(prefix):
    """(whether a comment starts, the quote left open) in a line's text before the cursor."""
    quote = None
    for char in prefix:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            return True, None
    return False, quote
