// A scripted DAP client for the debugger tests: requests that resolve with their responses, and events waited for.
import type { DapMessage } from '../../extension/engine/debug/dapFraming';

export class ScriptedDapClient {
  private seq = 1;
  private readonly answers = new Map<number, (response: DapMessage) => void>();
  readonly events: DapMessage[] = [];
  private readonly waiters: { event: string; resolve(m: DapMessage): void }[] = [];
  private readonly taken = new Set<DapMessage>();

  constructor(private readonly write: (message: DapMessage) => void) {}

  /** Every message the adapter sent, in order. */
  receive(message: DapMessage): void {
    if (message.type === 'response') {
      this.answers.get(message.request_seq!)?.(message);
      this.answers.delete(message.request_seq!);
      return;
    }
    if (message.type !== 'event') return;
    this.events.push(message);
    const waiter = this.waiters.find((w) => w.event === message.event);
    if (!waiter) return;
    this.waiters.splice(this.waiters.indexOf(waiter), 1);
    this.taken.add(message);
    waiter.resolve(message);
  }

  /** The response, successful or not. */
  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    const answered = new Promise<DapMessage>((resolve) => this.answers.set(seq, resolve));
    this.write({ seq, type: 'request', command, arguments: args });
    return answered;
  }

  /** The body of a successful response; a failed one throws its message. */
  async ask(command: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const response = await this.request(command, args);
    if (!response.success) throw new Error(`${command} failed: ${response.message}`);
    return response.body ?? {};
  }

  /** The next event of this name (one that came already and was not waited for counts). */
  event(name: string): Promise<DapMessage> {
    const seen = this.events.find((e) => e.event === name && !this.taken.has(e));
    if (seen) {
      this.taken.add(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ event: name, resolve }));
  }

  /** What the program printed, from output events. */
  output(): string {
    return this.events.filter((e) => e.event === 'output' && ['stdout', 'stderr'].includes(e.body?.category as string))
      .map((e) => e.body!.output as string).join('');
  }
}
