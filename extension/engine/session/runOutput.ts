// What a run without onStream or onDisplay collects for its outcome: the head and the tail of its stdout, stderr and
// displays within limits, with a marker line where text was dropped.
import { HeadTail, TEXT, type HeadTailLimits, type ItemKind } from './headTail';
import type { DisplayData } from '../../../shared/agentProtocol';
import type { DroppedOutput } from './sessionTypes';

export interface OutputLimits {
  /** Characters of stdout, and of stderr, kept from the start and from the end. */
  text: HeadTailLimits;
  /** Display data (PNG bytes, SVG or HTML characters) kept from the first displays and from the last. */
  displays: HeadTailLimits;
}

const MiB = 1 << 20;
export const OUTPUT_LIMITS: OutputLimits = { text: { head: 2 * MiB, tail: 2 * MiB }, displays: { head: 16 * MiB, tail: 16 * MiB } };

const DISPLAY: ItemKind<DisplayData> = { size: (display) => display.data.length, weight: () => 1 };

export class RunOutput {
  private stdout: HeadTail<string> | undefined;
  private stderr: HeadTail<string> | undefined;
  private displays: HeadTail<DisplayData> | undefined;

  constructor(private readonly limits: OutputLimits) {}

  stream(name: 'stdout' | 'stderr', text: string): void {
    (this[name] ??= new HeadTail(this.limits.text, TEXT)).add(text);
  }

  display(display: DisplayData): void {
    (this.displays ??= new HeadTail(this.limits.displays, DISPLAY)).add(display);
  }

  /** The outcome's output fields; `dropped` only when something was. */
  collected(): { stdout: string; stderr: string; displays: DisplayData[]; dropped?: DroppedOutput } {
    const { stdout, stderr, displays } = this;
    const output = { stdout: joined(stdout), stderr: joined(stderr), displays: displays ? [...displays.headItems(), ...displays.tailItems()] : [] };
    if (!stdout?.dropped && !stderr?.dropped && !displays?.dropped) return output;
    return { ...output, dropped: { stdoutBytes: stdout?.dropped ?? 0, stderrBytes: stderr?.dropped ?? 0, displays: displays?.dropped ?? 0 } };
  }
}

function joined(text: HeadTail<string> | undefined): string {
  if (!text) return '';
  const head = text.headItems().join('');
  const tail = text.tailItems().join('');
  return text.dropped ? `${head}${droppedLine(head, text.dropped)}${tail}` : head + tail;
}

/** The line that stands where output was dropped, e.g. "… 209,715,200 bytes of output dropped …". */
export function droppedLine(before: string, bytes: number): string {
  return `${before === '' || before.endsWith('\n') ? '' : '\n'}… ${bytes.toLocaleString('en-US')} bytes of output dropped …\n`;
}
