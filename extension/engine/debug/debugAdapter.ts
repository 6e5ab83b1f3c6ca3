// pydock's debug adapter: a DAP client's messages relayed to debugpy inside the session's agent; `launch` becomes an
// attach to it and then a run of the code in the session's namespace, which is what debugpy stops in.
import * as fs from 'node:fs';
import { PydockError, errorMessage } from '../errors';
import { AGENT_DIR_IN_CONTAINER, agentBundle } from '../launch/agentBundle';
import type { Logger } from '../log';
import type { RunOutcome, RunOptions, Session } from '../session/session';
import { DebugChannel } from './debugChannel';
import type { DapMessage } from './dapFraming';
import { debugpyPathMappings, fileInSession } from './debugPaths';

/** Where the debugged code runs and how a run is shown. */
export interface DebugTarget {
  /** The session to debug in (the adapter starts it). */
  session(): Promise<Session>;
  /** The host folder a Docker session sees at /workspace. */
  workspace: string | undefined;
  /** Runs the debugged code as any run (VS Code: as a panel entry); its output also goes to the client. */
  run(session: Session, code: string, options: Pick<RunOptions, 'file' | 'line' | 'onStream'>): Promise<RunOutcome>;
  /**
   * The session cannot import debugpy: a host that tells the user itself, with its remedy, returns true, and the
   * client is asked not to show the failure again (VS Code would otherwise open a modal over the remedy).
   */
  noDebugger?(session: Session, cause: string): boolean;
}

/** What a `pydock` launch configuration says. */
export interface PydockLaunchArguments {
  /** A Python file on this machine, run whole. */
  program?: string;
  /** Code to run instead; `file` and `line` say where it sits, so breakpoints there stop in it. */
  code?: string;
  file?: string;
  line?: number;
  /** Stop only in user code (default true). */
  justMyCode?: boolean;
}

/** VS Code would otherwise ask debugpy to end the process: the Python session must outlive its debug sessions. */
const CAPABILITIES_WITHHELD = ['supportsTerminateRequest', 'supportTerminateDebuggee', 'supportsRestartRequest'];
const OWN_SEQ_START = 1_000_000;
const CLOSED_BY_CLIENT = 'the client ended the debug session';
/** DAP's error messages carry a number; pydock's own failures need none but this one. */
const NOT_SHOWN_ERROR_ID = 1;

export class PydockDebugAdapter {
  private channel: DebugChannel | undefined;
  private connected: Promise<Session> | undefined;
  private session: Session | undefined;
  private noDebuggerTold: boolean | undefined;
  /** Client requests forwarded to debugpy and not answered yet: they fail at once if the debugger ends. */
  private readonly waiting = new Map<number, string>();
  private launch: { seq: number; session: Session; code: string; file: string; line: number } | undefined;
  /** debugpy answered once: an end after that is news for the client's console. */
  private opened = false;
  private terminated = false;
  private ownSeq = OWN_SEQ_START;

  constructor(private readonly target: DebugTarget, private readonly toClient: (message: DapMessage) => void, private readonly log: Logger) {}

  /** A message from the DAP client. */
  handle(message: DapMessage): void {
    if (message.type !== 'request' || !message.command) {
      this.forward(message); // a response to one of debugpy's reverse requests
      return;
    }
    void this.request(message).catch((error) => {
      const told = error instanceof PydockError && error.code === 'no-debugger' && this.toldNoDebugger(error);
      this.fail(message, errorMessage(error), !told);
    });
  }

  dispose(): void {
    this.channel?.close(CLOSED_BY_CLIENT);
  }

  /** Whether the host told the user (asked once: every request waiting on the connection fails the same way). */
  private toldNoDebugger(error: PydockError): boolean {
    this.noDebuggerTold ??= this.session !== undefined && this.target.noDebugger?.(this.session, error.message) === true;
    return this.noDebuggerTold;
  }

  private async request(request: DapMessage): Promise<void> {
    switch (request.command) {
      case 'initialize':
        this.connected ??= this.connect();
        await this.connected;
        this.forward(request);
        return;
      case 'launch':
        this.forward(await this.attachFor(request));
        return;
      case 'attach':
        this.fail(request, 'pydock debugs code it runs: use a "launch" configuration with "program" or "code".');
        return;
      case 'disconnect':
      case 'terminate':
        if (!this.channel || this.channel.ended) {
          this.respond(request, {});
          return;
        }
        this.forward({ ...request, command: 'disconnect', arguments: { restart: false, terminateDebuggee: false } });
        return;
      default:
        await this.connected;
        this.forward(request);
    }
  }

  private async connect(): Promise<Session> {
    const session = await this.target.session();
    this.session = session;
    await session.start();
    const channel = new DebugChannel(session, {
      message: (message) => this.fromDebugpy(message),
      closed: (reason) => this.debuggerEnded(reason),
    });
    this.channel = channel;
    await channel.open();
    this.opened = true;
    return session;
  }

  /** The client's launch, as debugpy's attach to the agent it already runs in, with the paths it must map. */
  private async attachFor(request: DapMessage): Promise<DapMessage> {
    const session = await this.connected!;
    const args = (request.arguments ?? {}) as PydockLaunchArguments;
    let code = args.code;
    const hostFile = args.program ?? args.file;
    if (code === undefined) {
      if (!args.program) throw new PydockError('usage', 'A pydock launch needs "program" (a Python file) or "code".');
      code = await fs.promises.readFile(args.program, 'utf8');
    }
    const workspace = session.backendKind === 'docker' ? this.target.workspace : undefined;
    const agentDir = session.backendKind === 'docker' ? AGENT_DIR_IN_CONTAINER : agentBundle().dir;
    const file = hostFile ? fileInSession(hostFile, workspace) : '<pydock debug>';
    this.launch = { seq: request.seq, session, code, file, line: args.code === undefined ? 1 : args.line ?? 1 };
    return {
      ...request, command: 'attach',
      arguments: {
        justMyCode: args.justMyCode ?? true, redirectOutput: false, showReturnValue: true,
        // The agent's own files (its entry script is __main__, so a module rule would not reach it): never shown or stepped into.
        pathMappings: debugpyPathMappings(workspace), rules: [{ path: `${agentDir}/**`, include: false }],
      },
    };
  }

  private fromDebugpy(message: DapMessage): void {
    if (message.type === 'response' && message.request_seq !== undefined) {
      const command = this.waiting.get(message.request_seq);
      this.waiting.delete(message.request_seq);
      if (message.command === 'initialize' && message.body) {
        message = { ...message, body: Object.fromEntries(Object.entries(message.body).filter(([k]) => !CAPABILITIES_WITHHELD.includes(k))) };
      }
      if (message.request_seq === this.launch?.seq && message.command === 'attach') {
        this.toClient({ ...message, command: 'launch' });
        if (message.success) this.runDebugged();
        return;
      }
      if (command === 'terminate') message = { ...message, command };
      this.toClient(message);
      if (command === 'disconnect' || command === 'terminate') this.channel?.close(CLOSED_BY_CLIENT);
      return;
    }
    if (message.type === 'event' && message.event === 'terminated') return; // pydock says when the run is over
    this.toClient(message);
  }

  /** The code runs as any run, in the session's namespace; debugpy stops it where the client asked. */
  private runDebugged(): void {
    const { session, code, file, line } = this.launch!;
    const onStream = (name: 'stdout' | 'stderr', text: string) => this.event('output', { category: name, output: text });
    this.target.run(session, code, { file, line, onStream }).then(
      (outcome) => {
        if (outcome.ok && outcome.repr) this.event('output', { category: 'console', output: `${outcome.repr}\n` });
        if (!outcome.ok) this.event('output', { category: 'stderr', output: outcome.error.text });
        this.event('exited', { exitCode: outcome.ok ? 0 : 1 });
      },
      (error) => this.event('output', { category: 'stderr', output: `pydock: ${errorMessage(error)}\n` }),
    ).finally(() => this.terminate());
  }

  /** debugpy is gone (it died, or the session did): what waits on it fails with the cause, the session lives on. */
  private debuggerEnded(reason: string): void {
    this.log.info(`[debug] the debugger connection ended: ${reason}`);
    for (const [seq, command] of [...this.waiting]) {
      this.waiting.delete(seq);
      if (command === 'disconnect' || command === 'terminate') this.respond({ seq, type: 'request', command }, {});
      else this.fail({ seq, type: 'request', command }, `The debugger ended (${reason}); the Python session and its variables are intact.`);
    }
    if (reason === CLOSED_BY_CLIENT) return;
    // One that never opened fails the initialize request with its cause: no second word in the console.
    if (this.opened) this.event('output', { category: 'console', output: `pydock: the debugger ended: ${reason}. The Python session and its variables are intact.\n` });
    this.terminate();
  }

  private terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.event('terminated', {});
  }

  private forward(message: DapMessage): void {
    if (!this.channel) throw new PydockError('stopped', 'The debugger is not connected yet: initialize first.');
    if (message.type === 'request') this.waiting.set(message.seq, message.command!);
    this.channel.send(message);
  }

  private respond(request: DapMessage, body: Record<string, unknown>): void {
    this.toClient({ seq: this.ownSeq++, type: 'response', request_seq: request.seq, command: request.command, success: true, body });
  }

  /** A failed response; `showUser` false asks the client not to show it (DAP's ErrorResponse body, error.showUser). */
  private fail(request: DapMessage, message: string, showUser = true): void {
    this.toClient({
      seq: this.ownSeq++, type: 'response', request_seq: request.seq, command: request.command, success: false, message,
      ...(showUser ? {} : { body: { error: { id: NOT_SHOWN_ERROR_ID, format: message, showUser: false } } }),
    });
  }

  private event(event: string, body: Record<string, unknown>): void {
    this.toClient({ seq: this.ownSeq++, type: 'event', event, body });
  }
}
