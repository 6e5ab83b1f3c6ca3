// The command line's launch progress on stderr: on a terminal one line redrawn in place, otherwise plain lines (a pull
// prints one as each layer finishes). Never on stdout, so --json output stays one object.
import { describeProgress, describePullProgress, type LaunchProgress } from '../engine/launch/launchProgress';
import type { Logger } from '../engine/log';

/** A terminal redraws at most this often. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressOutput {
  write(text: string): void;
  /** A terminal: the current step is one line, redrawn. */
  tty: boolean;
  /** Terminal width, to keep the redrawn line on one row (0 or absent: unknown). */
  columns?: number;
  /** With --verbose every event goes to this log, as lines, instead. */
  verbose?: Logger;
}

export function cliProgress(out: ProgressOutput): (event: LaunchProgress) => void {
  let drawn = false;
  let lastDraw = 0;
  let layersDone = -1;
  const line = (text: string) => {
    out.write(`${drawn ? CLEAR_LINE : ''}pydock: ${text}\n`);
    drawn = false;
  };
  const redraw = (text: string, force: boolean) => {
    const now = performance.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    // One row less than the terminal is wide, or a full row would wrap; a terminal that says 0 columns gets 100.
    out.write(`${CLEAR_LINE}${`pydock: ${text}`.slice(0, Math.max(out.columns || 100, 20) - 1)}`);
    drawn = true;
  };
  return (event) => {
    if (event.type === 'warning') return line(`warning: ${event.message}`);
    if (out.verbose) {
      if (event.type !== 'pull-progress') out.verbose.info(describeProgress(event));
      else if (event.layersDone !== layersDone) out.verbose.info(describeProgress(event));
      if (event.type === 'pull-progress') layersDone = event.layersDone;
      return;
    }
    switch (event.type) {
      case 'pull-start':
        layersDone = -1;
        return out.tty ? redraw(`pulling ${event.image} from ${event.registry}`, true) : line(`pulling ${event.image} from ${event.registry}`);
      case 'pull-progress': {
        const text = `pulling ${event.image}: ${Math.floor(event.fraction * 100)}% (${describePullProgress(event)})`;
        const layerFinished = event.layersDone !== layersDone;
        layersDone = event.layersDone;
        if (out.tty) return redraw(text, layerFinished);
        return layerFinished ? line(text) : undefined;
      }
      case 'build-step':
        return out.tty ? redraw(describeProgress(event), true) : line(describeProgress(event));
      case 'pull-done':
      case 'pod-pending':
      case 'build-start':
      case 'build-done':
        return line(describeProgress(event));
      case 'image-ready':
      case 'build-output':
      case 'workspace-copied':
        return undefined; // the image's digest, pip's output and workspace copies: --verbose shows them
      default: {
        const unknown: never = event;
        return line(JSON.stringify(unknown));
      }
    }
  };
}
