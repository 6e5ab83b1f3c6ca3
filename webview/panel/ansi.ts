// ANSI escape sequences to styled text segments: a pure SGR parser (no DOM) that keeps its state across chunks.

/** A colour: an index into the 256-colour palette, or a truecolour [r, g, b]. */
export type AnsiColor = { index: number } | { rgb: readonly [number, number, number] };

/** A text style; the parser hands out one frozen object per distinct state, so equal styles are often the same object. */
export interface AnsiStyle {
  readonly fg?: AnsiColor;
  readonly bg?: AnsiColor;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
  readonly strike?: boolean;
}

export interface AnsiSegment { text: string; style: AnsiStyle }

export const PLAIN: AnsiStyle = Object.freeze({});

const ESC = '\x1b';
/** A sequence still unfinished after this many characters is not one: its ESC is dropped and the rest shown. */
const MAX_SEQUENCE = 256;

/** Splits text into styled segments. Feed it a stream chunk by chunk: a sequence cut between chunks is completed. */
export class AnsiParser {
  private style: AnsiStyle = PLAIN;
  /** The style of the last text handed out. */
  private emitted: AnsiStyle = PLAIN;
  private pending = '';

  push(chunk: string): AnsiSegment[] {
    const text = this.pending + chunk;
    this.pending = '';
    const segments: AnsiSegment[] = [];
    let position = 0;
    for (let escape = text.indexOf(ESC); escape >= 0; escape = text.indexOf(ESC, position)) {
      this.emit(segments, text.slice(position, escape));
      const end = sequenceEnd(text, escape);
      if (end < 0) {
        if (text.length - escape <= MAX_SEQUENCE) {
          this.pending = text.slice(escape);
          return segments;
        }
        position = escape + 1;
        continue;
      }
      if (text[escape + 1] === '[' && text[end - 1] === 'm') this.style = applySgr(this.style, text.slice(escape + 2, end - 1));
      position = end;
    }
    this.emit(segments, text.slice(position));
    return segments;
  }

  /** A parser in the same state, to parse again from here later. */
  clone(): AnsiParser {
    const copy = new AnsiParser();
    copy.style = this.style;
    copy.emitted = this.emitted;
    copy.pending = this.pending;
    return copy;
  }

  private emit(segments: AnsiSegment[], text: string): void {
    if (!text) return;
    // A style that comes back (bold on, bold off) is the earlier object again, so renderers can merge by identity.
    if (this.style !== this.emitted && sameStyle(this.style, this.emitted)) this.style = this.emitted;
    this.emitted = this.style;
    const last = segments[segments.length - 1];
    if (last?.style === this.style) last.text += text;
    else segments.push({ text, style: this.style });
  }
}

/** The index just past the escape sequence at `start`, or -1 when the text ends inside it. */
function sequenceEnd(text: string, start: number): number {
  const kind = text[start + 1];
  if (kind === undefined) return -1;
  if (kind === '[') {
    // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
    for (let i = start + 2; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x40 && code <= 0x7e) return i + 1;
      if (code < 0x20 || code > 0x3f) return i; // malformed: drop what came so far
    }
    return -1;
  }
  if (kind === ']') {
    // OSC (titles, hyperlinks): ends with BEL or ESC \.
    for (let i = start + 2; i < text.length; i++) {
      if (text[i] === '\x07') return i + 1;
      if (text[i] === ESC) return text[i + 1] === undefined ? -1 : i + 2;
    }
    return -1;
  }
  if ('()*+'.includes(kind)) return text.length > start + 2 ? start + 3 : -1; // character set designation
  return start + 2;
}

/** All text segments of a whole string, from the default style. */
export function parseAnsi(text: string): AnsiSegment[] {
  return new AnsiParser().push(text);
}

type MutableStyle = { -readonly [K in keyof AnsiStyle]: AnsiStyle[K] };

/** The style after one SGR sequence's parameters ("1;31", "38;5;208", "38;2;255;0;0", "38:2::255:0:0", ""). */
export function applySgr(style: AnsiStyle, parameters: string): AnsiStyle {
  const params = parameters === '' ? ['0'] : parameters.split(';');
  const next: MutableStyle = { ...style };
  for (let i = 0; i < params.length; i++) {
    const parts = params[i].split(':').map((p) => (p === '' ? 0 : Number(p)));
    const code = parts[0];
    if (code === 38 || code === 48 || code === 58) {
      // Extended colour, either as colon sub-parameters or as the following parameters.
      const args = parts.length > 1 ? colonColorArgs(parts.slice(1)) : params.slice(i + 1).map(Number);
      const color = extendedColor(args);
      if (parts.length === 1) i += color.used;
      const key = code === 38 ? 'fg' : code === 48 ? 'bg' : undefined; // 58, the underline colour, is ignored
      if (key && color.color) next[key] = color.color;
      else if (key) delete next[key];
    } else {
      applyCode(next, code);
    }
  }
  return sameStyle(style, next) ? style : Object.freeze(next);
}

function applyCode(style: MutableStyle, code: number): void {
  if (code >= 30 && code <= 37) style.fg = { index: code - 30 };
  else if (code >= 90 && code <= 97) style.fg = { index: code - 90 + 8 };
  else if (code >= 40 && code <= 47) style.bg = { index: code - 40 };
  else if (code >= 100 && code <= 107) style.bg = { index: code - 100 + 8 };
  else {
    switch (code) {
      case 0:
        for (const key of Object.keys(style) as (keyof AnsiStyle)[]) delete style[key];
        break;
      case 1: style.bold = true; break;
      case 2: style.dim = true; break;
      case 3: style.italic = true; break;
      case 4: case 21: style.underline = true; break;
      case 7: style.inverse = true; break;
      case 9: style.strike = true; break;
      case 22: delete style.bold; delete style.dim; break;
      case 23: delete style.italic; break;
      case 24: delete style.underline; break;
      case 27: delete style.inverse; break;
      case 29: delete style.strike; break;
      case 39: delete style.fg; break;
      case 49: delete style.bg; break;
      default: // blink, fonts, overline, …: not drawn
    }
  }
}

/** 38:2:r:g:b and 38:2:colourspace:r:g:b both occur; the colour space is dropped. */
function colonColorArgs(args: number[]): number[] {
  return args[0] === 2 && args.length >= 5 ? [2, ...args.slice(2)] : args;
}

/** `5;n` (palette) or `2;r;g;b` (truecolour); `used` is how many parameters it took. */
function extendedColor(args: number[]): { color: AnsiColor | undefined; used: number } {
  const valid = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 0 && n <= 255;
  if (args[0] === 5) return { color: valid(args[1]) ? { index: args[1] } : undefined, used: 2 };
  if (args[0] === 2) {
    const [r, g, b] = args.slice(1, 4);
    return { color: valid(r) && valid(g) && valid(b) ? { rgb: [r, g, b] } : undefined, used: 4 };
  }
  return { color: undefined, used: 1 };
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  const keys = Object.keys(a) as (keyof AnsiStyle)[];
  return keys.length === Object.keys(b).length && keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export function isPlain(style: AnsiStyle): boolean {
  return Object.keys(style).length === 0;
}

const BASIC = ['Black', 'Red', 'Green', 'Yellow', 'Blue', 'Magenta', 'Cyan', 'White'];
const CUBE = [0, 95, 135, 175, 215, 255];

/** A colour as CSS: the 16 basic colours are VS Code's terminal theme colours, the rest are fixed. */
export function colorCss(color: AnsiColor): string {
  if ('rgb' in color) return `rgb(${color.rgb.join(', ')})`;
  const i = color.index;
  if (i < 16) return `var(--vscode-terminal-ansi${i < 8 ? '' : 'Bright'}${BASIC[i % 8]})`;
  if (i < 232) {
    const n = i - 16;
    return `rgb(${CUBE[Math.floor(n / 36)]}, ${CUBE[Math.floor(n / 6) % 6]}, ${CUBE[n % 6]})`;
  }
  const grey = 8 + (i - 232) * 10;
  return `rgb(${grey}, ${grey}, ${grey})`;
}

/** How a style looks: inline colours (inverse swaps them, defaulting to the editor's) and classes for the rest. */
export function styleCss(style: AnsiStyle): { color?: string; background?: string; classes: string[] } {
  let color = style.fg && colorCss(style.fg);
  let background = style.bg && colorCss(style.bg);
  if (style.inverse) {
    [color, background] = [background ?? 'var(--vscode-editor-background)', color ?? 'var(--vscode-editor-foreground)'];
  }
  const classes = (['bold', 'dim', 'italic', 'underline', 'strike'] as const).filter((k) => style[k]).map((k) => `pd-ansi-${k}`);
  return { ...(color ? { color } : {}), ...(background ? { background } : {}), classes };
}
