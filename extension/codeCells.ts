// Splits a Python file into `# %%` cells, as Jupyter's percent format and VS Code's Interactive Window do. Pure.

export interface Cell {
  index: number;
  kind: 'code' | 'markdown';
  /** Text after the delimiter, e.g. "Load the data" in `# %% Load the data`. */
  title: string;
  /** 0-based line of the delimiter; -1 for code before the first delimiter, or a file without any. */
  headerLine: number;
  /** 0-based first and last line of the cell's body (the body may be empty: then end < start). */
  startLine: number;
  endLine: number;
  /** The body, without the delimiter line. */
  code: string;
}

const DELIMITER = /^\s*#\s*(?:%%(?<rest>.*)|In\[[^\]]*\]:\s*$)/;
const MARKDOWN = /^\s*\[markdown\]/i;

/** The cells of a file. Delimiter-looking lines inside triple-quoted strings do not count. */
export function parseCells(text: string): Cell[] {
  const lines = text.split(/\r?\n/);
  const headers: { line: number; kind: Cell['kind']; title: string }[] = [];
  const scanner = new StringScanner();
  lines.forEach((line, i) => {
    if (!scanner.inString) {
      const match = DELIMITER.exec(line);
      if (match) {
        const rest = (match.groups?.rest ?? '').trim();
        const markdown = MARKDOWN.test(rest);
        headers.push({ line: i, kind: markdown ? 'markdown' : 'code', title: (markdown ? rest.replace(MARKDOWN, '') : rest).trim() });
      }
    }
    scanner.scanLine(line);
  });

  const cells: Cell[] = [];
  const add = (kind: Cell['kind'], title: string, headerLine: number, startLine: number, endLine: number) => {
    cells.push({ index: cells.length, kind, title, headerLine, startLine, endLine, code: lines.slice(startLine, endLine + 1).join('\n') });
  };
  const firstHeader = headers.length ? headers[0].line : lines.length;
  // Code above the first delimiter is a cell only when it holds statements, not just a comment header.
  if (headers.length === 0 || lines.slice(0, firstHeader).some((l) => l.trim() && !l.trim().startsWith('#'))) {
    add('code', '', -1, 0, trimEnd(lines, 0, firstHeader - 1));
  }
  headers.forEach((header, i) => {
    const next = i + 1 < headers.length ? headers[i + 1].line : lines.length;
    add(header.kind, header.title, header.line, header.line + 1, trimEnd(lines, header.line + 1, next - 1));
  });
  return cells;
}

/** The cell holding a 0-based line: the last one starting at or before it. */
export function cellAt(cells: Cell[], line: number): Cell | undefined {
  let found: Cell | undefined;
  for (const cell of cells) {
    if (Math.min(cell.headerLine === -1 ? 0 : cell.headerLine, cell.startLine) <= line) found = cell;
  }
  return found ?? cells[0];
}

/** The end of a cell's body, without trailing blank lines. */
function trimEnd(lines: string[], start: number, end: number): number {
  let last = end;
  while (last >= start && !lines[last].trim()) last--;
  return last;
}

/** Follows Python string literals across lines, so only delimiters outside triple-quoted strings count. */
class StringScanner {
  private quote: '' | "'''" | '"""' = '';

  get inString(): boolean {
    return this.quote !== '';
  }

  scanLine(line: string): void {
    let i = 0;
    while (i < line.length) {
      if (this.quote) {
        const end = findClosing(line, i, this.quote);
        if (end < 0) return;
        this.quote = '';
        i = end + 3;
        continue;
      }
      const c = line[i];
      if (c === '#') return;
      if (c === '"' || c === "'") {
        const triple = line.startsWith(c.repeat(3), i);
        if (triple) {
          this.quote = c.repeat(3) as "'''" | '"""';
          i += 3;
          continue;
        }
        const end = findClosing(line, i + 1, c);
        if (end < 0) return; // an unterminated one-line string: a syntax error, nothing spans lines
        i = end + 1;
        continue;
      }
      i++;
    }
  }
}

/** Index of the closing quote at or after `from`, skipping backslash escapes; -1 when not on this line. */
function findClosing(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
      continue;
    }
    if (line.startsWith(quote, i)) return i;
  }
  return -1;
}
