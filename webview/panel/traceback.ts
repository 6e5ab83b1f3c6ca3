// A Python error: its type and message, then the traceback with ANSI colours, where each `File "…", line n` line
// is a link that opens the file at that line (frames in '<stdin>'-like pseudo files are not).
import type { PythonErrorInfo } from '../../shared/agentProtocol';
import { parseAnsi, type AnsiSegment } from './ansi';
import { appendSegments } from './ansiDom';
import { codicon, el, linkButton } from './dom';

const FRAME = /^\s*File "([^"]+)", line (\d+)/;

export function renderError(error: PythonErrorInfo, open: (file: string, line: number) => void): HTMLElement {
  const box = el('div', 'pd-error');
  const title = el('div', 'pd-error-title');
  const heading = el('span');
  heading.append(el('span', 'pd-error-type', error.type), error.message ? `: ${error.message}` : '');
  title.append(codicon('error'), heading);
  box.append(title);
  const text = tracebackText(error);
  if (!text) return box;
  const traceback = el('pre', 'pd-traceback');
  lines(parseAnsi(text)).forEach((line, i) => {
    if (i > 0) traceback.append('\n');
    const frame = FRAME.exec(line.map((s) => s.text).join(''));
    if (!frame || /^<.*>$/.test(frame[1])) {
      appendSegments(traceback, line);
      return;
    }
    const file = frame[1];
    const lineNumber = Number(frame[2]);
    const link = linkButton(`Open ${file} at line ${lineNumber}`, () => open(file, lineNumber));
    link.classList.add('pd-frame');
    appendSegments(link, line);
    traceback.append(link);
  });
  box.append(traceback);
  return box;
}

/** The traceback as Python prints it; built from the frames when the agent sent no text; empty with neither. */
export function tracebackText(error: PythonErrorInfo): string {
  if (error.text) return error.text.replace(/\n$/, '');
  if (!error.frames.length) return '';
  const frames = error.frames.map((f) => `  File "${f.file}", line ${f.line}, in ${f.name}${f.text ? `\n    ${f.text}` : ''}`);
  return ['Traceback (most recent call last):', ...frames, `${error.type}: ${error.message}`].join('\n');
}

/** Segments split at newlines, one array per line. */
function lines(segments: AnsiSegment[]): AnsiSegment[][] {
  const result: AnsiSegment[][] = [[]];
  for (const { text, style } of segments) {
    text.split('\n').forEach((part, i) => {
      if (i > 0) result.push([]);
      if (part) result[result.length - 1].push({ text: part, style });
    });
  }
  return result;
}
