// The REPL input's history, kept per workspace across windows and reloads.
import type * as vscode from 'vscode';

const KEY = 'pydock.replHistory';
const LIMIT = 500;

export class ReplHistory {
  constructor(private readonly state: vscode.Memento) {}

  all(): string[] {
    return this.state.get<string[]>(KEY, []);
  }

  async add(code: string): Promise<void> {
    const entries = this.all().filter((c) => c !== code);
    entries.push(code);
    await this.state.update(KEY, entries.slice(-LIMIT));
  }
}
