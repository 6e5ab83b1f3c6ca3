// Reads the JSON lines of Docker's build API as progress events, and says why a failed build failed.
import { StringDecoder } from 'node:string_decoder';
import type { LaunchProgress } from '../launch/launchProgress';

/** One message of POST /build or /images/create. */
export interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  /** Pull progress of the layer `id`: bytes downloaded or extracted so far, of its size. */
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

export interface BuildFailure {
  /** Docker's error, e.g. "The command '...' returned a non-zero code: 1". */
  message: string;
  /** pip's ERROR: lines from the failing step, the line that says what could not be installed among them. */
  pipErrors: string[];
  /** The last lines of output, for the log and the error's detail. */
  tail: string[];
}

const TAIL_LINES = 40;

/** A response of JSON objects, one per line (POST /build, /images/create), cut anywhere by the transport, as messages. */
export class JsonLines {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onMessage: (message: BuildMessage) => void) {}

  push(chunk: Buffer): void {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.pushLine(line);
  }

  end(): void {
    this.pushLine(this.partial + this.decoder.end());
    this.partial = '';
  }

  private pushLine(line: string): void {
    if (!line.trim()) return;
    let message: BuildMessage;
    try {
      message = JSON.parse(line) as BuildMessage;
    } catch {
      message = { stream: `${line}\n` }; // not JSON: show it as it came
    }
    this.onMessage(message);
  }
}

export class BuildStreamParser {
  private readonly lines = new JsonLines((message) => this.push(message));
  private partialLine = '';
  private stepLines: string[] = [];
  private readonly tail: string[] = [];
  private error: string | undefined;
  private step = 0;
  private previousLine = '';
  /** The built image's id, when Docker reported it. */
  imageId: string | undefined;
  /** Images this build made for its steps (not the base, not cache hits), oldest first: a failed build's leftovers. */
  readonly createdLayers: string[] = [];

  constructor(private readonly emit: (event: LaunchProgress) => void) {}

  /** Raw bytes of the response: JSON objects, one per line, split anywhere by the transport. */
  pushBytes(chunk: Buffer): void {
    this.lines.push(chunk);
  }

  end(): void {
    this.lines.end();
    if (this.partialLine) this.addLine(this.partialLine);
    this.partialLine = '';
  }

  failure(): BuildFailure | undefined {
    if (this.error === undefined) return undefined;
    return { message: this.error, pipErrors: this.stepLines.filter((l) => /^ERROR:/.test(l)), tail: [...this.tail] };
  }

  push(message: BuildMessage): void {
    if (message.aux?.ID) this.imageId = message.aux.ID;
    if (message.stream) {
      const lines = (this.partialLine + message.stream).split(/\r?\n/);
      this.partialLine = lines.pop() ?? '';
      for (const line of lines) this.addLine(line);
    }
    if (message.status && !message.id) this.addLine(message.status); // per-layer pull progress would flood the log
    if (message.error !== undefined || message.errorDetail) this.error = message.errorDetail?.message ?? message.error ?? 'unknown error';
  }

  private addLine(raw: string): void {
    // The classic builder paints a step's stderr red with ANSI escapes: pip's ERROR: lines among them.
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
    if (!line.trim()) return;
    const step = /^(?:Step|STEP) (\d+)\/(\d+) ?: ?(.*)$/.exec(line);
    const layer = /^ ---> ([0-9a-f]{12})$/.exec(line);
    if (layer && this.step > 1 && this.previousLine !== ' ---> Using cache') this.createdLayers.push(layer[1]);
    this.previousLine = line;
    if (step) {
      this.step = Number(step[1]);
      this.stepLines = [];
      this.emit({ type: 'build-step', step: Number(step[1]), total: Number(step[2]), instruction: step[3] });
    } else {
      this.stepLines.push(line);
      this.emit({ type: 'build-output', line });
    }
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  }
}
