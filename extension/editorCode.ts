// What "run selection" runs: the selected text, or the current line when nothing is selected, with its first line number.

export interface Position { line: number; character: number }
export interface Selection { start: Position; end: Position; isEmpty: boolean }

export interface CodeToRun {
  code: string;
  /** 1-based line of the code's first line in the document. */
  line: number;
}

export function selectionOrLine(lines: readonly string[], selection: Selection): CodeToRun {
  if (selection.isEmpty) return { code: lines[selection.start.line] ?? '', line: selection.start.line + 1 };
  const { start, end } = selection;
  // A selection ending at column 0 of the next line means "up to the end of the previous line".
  const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  const picked = lines.slice(start.line, lastLine + 1);
  if (lastLine === end.line) picked[picked.length - 1] = picked[picked.length - 1].slice(0, end.character);
  // A selection from a line's first non-blank character (where Home puts the cursor) keeps the line's indentation,
  // so the lines after it stay aligned with it (the agent dedents the whole block).
  if (picked[0].slice(0, start.character).trim() !== '') picked[0] = picked[0].slice(start.character);
  return { code: picked.join('\n'), line: start.line + 1 };
}
