// A job's log in a read-only editor (a pydock-job-log: document) that grows while the job runs.
import * as vscode from 'vscode';
import { errorMessage } from '../engine/errors';
import { isoNs } from '../engine/jobs/jobLog';
import type { JobItem, JobsController } from './jobsController';

export const JOB_LOG_SCHEME = 'pydock-job-log';
/** Appends are shown at most this often, so a chatty job does not redraw the editor for every line. */
const REDRAW_MS = 100;

interface Followed {
  text: string;
  stop: AbortController;
  redraw?: NodeJS.Timeout;
}

export class JobLogs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly followed = new Map<string, Followed>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly jobs: JobsController) {
    this.disposables = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(JOB_LOG_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
  }

  /** Opens the job's log beside what is open, following it while the job runs. */
  async open(item: JobItem): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: JOB_LOG_SCHEME, path: `/${item.record.name} ${item.record.id}.log`, query: new URLSearchParams({ folder: item.folder.uri.toString(), id: item.record.id }).toString() });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = uri.toString();
    let followed = this.followed.get(key);
    if (!followed) {
      followed = { text: '', stop: new AbortController() };
      this.followed.set(key, followed);
      void this.follow(uri, followed);
    }
    return followed.text;
  }

  dispose(): void {
    for (const followed of this.followed.values()) followed.stop.abort();
    for (const d of this.disposables) d.dispose();
  }

  private async follow(uri: vscode.Uri, followed: Followed): Promise<void> {
    const query = new URLSearchParams(uri.query);
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(query.get('folder') ?? ''));
    const id = query.get('id') ?? '';
    try {
      if (!folder) throw new Error('its workspace folder is not open');
      for await (const entry of this.jobs.jobsOf(folder).logs(id, { follow: true, signal: followed.stop.signal })) {
        const time = isoNs(entry.timeNs).slice(11, 23);
        followed.text += entry.progress
          ? `${time} ── ${Math.round(entry.progress.fraction * 100)}% ${entry.progress.message}\n`
          : `${time} ${entry.stream === 'stderr' ? '!' : ' '} ${entry.text}\n`;
        this.redrawSoon(uri, followed);
      }
      const record = this.jobs.jobsOf(folder).record(id);
      if (record) followed.text += `── ${record.status}${record.error ? `: ${record.error}` : ''}\n`;
    } catch (error) {
      if (!followed.stop.signal.aborted) followed.text += `── the log could not be read: ${errorMessage(error)}\n`;
    }
    this.redrawSoon(uri, followed);
  }

  private redrawSoon(uri: vscode.Uri, followed: Followed): void {
    followed.redraw ??= setTimeout(() => {
      followed.redraw = undefined;
      this.changed.fire(uri);
    }, REDRAW_MS);
  }

  private forget(uri: vscode.Uri): void {
    const followed = this.followed.get(uri.toString());
    followed?.stop.abort();
    clearTimeout(followed?.redraw);
    this.followed.delete(uri.toString());
  }
}
