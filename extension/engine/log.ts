// The logging interface the engine writes to; the VS Code layer backs it with a LogOutputChannel, the CLI with stderr.

export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, info() {}, warn() {}, error() {} };
