// Runs code for an editor command and reports its output and outcome in pydock's log.
import * as vscode from 'vscode';
import type { Logger } from './engine/log';
import type { Session } from './engine/session';

export interface RunLocation {
  file: string;
  line: number;
}

export interface RunReporter {
  run(session: Session, code: string, location: RunLocation): Promise<void>;
}

export class LogRunReporter implements RunReporter {
  private count = 0;

  constructor(private readonly log: Logger & { show(preserveFocus?: boolean): void }) {}

  async run(session: Session, code: string, location: RunLocation): Promise<void> {
    const n = ++this.count;
    this.log.show(true);
    this.log.info(`In [${n}] ${vscode.workspace.asRelativePath(location.file)}:${location.line}\n${code}`);
    const outcome = await session.exec(code, {
      mode: 'repl',
      ...location,
      onStream: (name, text) => (name === 'stdout' ? this.log.info(text.replace(/\n$/, '')) : this.log.warn(text.replace(/\n$/, ''))),
    });
    if (!outcome.ok) this.log.error(outcome.error.text.trimEnd());
    else if (outcome.repr) this.log.info(`Out[${n}] ${outcome.repr}`);
  }
}
