// Errors the engine reports to users: each names its cause and says what to do next.

export type ErrorCode =
  | 'daemon-unreachable'
  | 'image-missing'
  | 'no-python'
  | 'start-failed'
  | 'exited'
  | 'oom'
  | 'removed'
  /** The connection to the agent was lost (the daemon stopped answering, the link broke); the agent may still run. */
  | 'connection-lost'
  | 'protocol'
  | 'timeout'
  | 'interrupt-ignored'
  | 'stopped'
  /** A window reload let go of the session; its code runs on, for the next window to reattach to. */
  | 'detached'
  | 'untrusted'
  | 'unmarshallable'
  /** Python raised: while answering an inspection (variables, tables), or in a call of the library API. */
  | 'python'
  /** An object handle was used after its release, or after its session ended. */
  | 'released'
  /** The environment description (settings or .pydock/environment.json) is not valid; the message names each field. */
  | 'invalid-environment'
  /** Building the derived image (Dockerfile, pip requirements) failed; the message carries pip's error. */
  | 'build-failed'
  /** A request over the size of one message; nothing was sent. */
  | 'too-large'
  /** A callback the caller gave a run threw; the run and the session went on. */
  | 'callback'
  /** Pulling the image failed; each names the registry and the cause. */
  | 'registry-unreachable'
  | 'registry-tls'
  | 'registry-unauthorized'
  | 'manifest-unknown'
  | 'pull-failed'
  /** debugpy cannot be imported in the session's image (the debugger needs it). */
  | 'no-debugger'
  /** The user cancelled a pull or a build. */
  | 'cancelled'
  | 'usage';

export class PydockError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What the user can do about it. */
    readonly hint = '',
    /** Output the failing process left behind (container logs, agent stderr). */
    readonly detail = '',
  ) {
    super(message);
    this.name = 'PydockError';
  }

  /** Message, hint and detail as one text for a log or a terminal. */
  describe(): string {
    return [this.message, this.hint, this.detail && `Output:\n${this.detail.trimEnd()}`].filter(Boolean).join('\n');
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof PydockError ? error.describe() : error instanceof Error ? error.message : String(error);
}
