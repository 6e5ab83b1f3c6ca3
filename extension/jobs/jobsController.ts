// The workspace's jobs in VS Code: one engine Jobs per folder (found again after a reload by their labels), the run
// commands with their remembered arguments, and a notification at each end this window saw that does not take focus.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../config';
import { confirmEnvironment, resolveFolderEnvironment } from '../environmentLaunch';
import { PydockError, errorMessage } from '../engine/errors';
import { connectBackend } from '../engine/launch/backends';
import { Jobs } from '../engine/jobs/jobs';
import { jobBackend } from '../engine/jobs/jobPlaces';
import { RUNS_DIR, isFinal, isFunctionTarget, splitArgs, targetOfRecord, type JobRecord, type JobSpec } from '../engine/jobs/jobTypes';
import type { Logger } from '../engine/log';

const LAST_ARGS_KEY = 'pydock.jobs.lastArgs';

/** A job as the view and the commands know it: its record and the folder it belongs to. */
export interface JobItem {
  folder: vscode.WorkspaceFolder;
  record: JobRecord;
}

export class JobsController implements vscode.Disposable {
  private readonly byFolder = new Map<string, Jobs>();
  private readonly changed = new vscode.EventEmitter<JobItem | undefined>();
  /** A job of some folder changed (queued, started, progressed, ended, removed); undefined: look at them all again. */
  readonly onDidChange = this.changed.event;
  /** Jobs this window saw not yet ended: their end is worth a notification. */
  private readonly watched = new Set<string>();

  constructor(private readonly log: Logger, private readonly state: vscode.Memento, private readonly openLog: (item: JobItem) => unknown) {
    // A folder that has run jobs has its running ones followed (and ended ones collected) from the start; others when asked.
    const ranJobs = (folder: vscode.WorkspaceFolder) => fs.existsSync(path.join(folder.uri.fsPath, ...RUNS_DIR.split('/')));
    if (vscode.workspace.isTrusted) for (const folder of vscode.workspace.workspaceFolders ?? []) if (ranJobs(folder)) this.jobsOf(folder);
  }

  /** The folder's Jobs, made (and scanned: running jobs are followed, ended ones collected) on first use. */
  jobsOf(folder: vscode.WorkspaceFolder): Jobs {
    let jobs = this.byFolder.get(folder.uri.toString());
    if (!jobs) {
      const config = new Config(folder);
      const maxParallel = vscode.workspace.getConfiguration('pydock', folder).get<number>('jobs.maxParallel', 0);
      jobs = new Jobs({
        workspace: folder.uri.fsPath, log: this.log, trackProgress: true, ...(maxParallel > 0 ? { maxParallel } : {}),
        backend: () => connectBackend({
          choice: jobBackend(resolveFolderEnvironment(folder.uri.fsPath, new Config(folder)).backend, config.backend),
          dockerHost: config.dockerHost || undefined, kubernetes: config.kubernetes, log: this.log,
        }),
        environment: () => resolveFolderEnvironment(folder.uri.fsPath, new Config(folder)).launch,
      });
      jobs.onDidChange((record) => this.recordChanged({ folder, record }));
      this.byFolder.set(folder.uri.toString(), jobs);
      void jobs.scan().then(() => this.changed.fire(undefined),
        (error) => this.log.warn(`jobs of ${folder.name}: ${errorMessage(error)}`));
    }
    return jobs;
  }

  /** Every folder's runs, newest first. */
  async items(): Promise<JobItem[]> {
    if (!vscode.workspace.isTrusted) return [];
    const lists = await Promise.all((vscode.workspace.workspaceFolders ?? []).map(async (folder) => {
      const records = await this.jobsOf(folder).list();
      for (const r of records) if (!isFinal(r.status)) this.watched.add(r.id);
      return records.map((record) => ({ folder, record }));
    }));
    return lists.flat();
  }

  /** "pydock: Run File as Job…": the active Python file (or the one given), with arguments asked for and remembered. */
  async runFile(uri?: vscode.Uri): Promise<JobRecord | undefined> {
    const file = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    const folder = file && vscode.workspace.getWorkspaceFolder(file);
    if (!file || !folder) throw new PydockError('usage', 'Open a Python file of a workspace folder to run it as a job.');
    const relative = path.relative(folder.uri.fsPath, file.fsPath).split(path.sep).join('/');
    const remembered = this.lastArgs(relative);
    const args = await vscode.window.showInputBox({
      title: `Run ${relative} as a job`, prompt: 'Arguments, separated by spaces ("quotes" keep spaces together)', value: remembered, ignoreFocusOut: true,
    });
    if (args === undefined) return undefined;
    await this.rememberArgs(relative, args);
    await vscode.workspace.saveAll(false);
    return this.submit(folder, { target: { kind: 'file', file: relative, args: splitArgs(args) } });
  }

  /** "pydock: Run Function as Job…": module:function and its JSON arguments, both remembered. */
  async runFunction(): Promise<JobRecord | undefined> {
    const folder = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)
      || vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new PydockError('usage', 'Open a workspace folder to run one of its functions as a job.');
    const target = await vscode.window.showInputBox({
      title: 'Run a function as a job', prompt: 'module:function, importable from the workspace folder (e.g. pkg.train:fit)',
      value: this.lastArgs(':function'), ignoreFocusOut: true, validateInput: (v) => (isFunctionTarget(v) ? undefined : 'module:function, e.g. tasks:build'),
    });
    if (target === undefined) return undefined;
    await this.rememberArgs(':function', target);
    const json = await vscode.window.showInputBox({
      title: `Arguments of ${target}`, prompt: 'A JSON list of arguments, or an object of keyword arguments', value: this.lastArgs(target) || '[]', ignoreFocusOut: true,
      validateInput: (v) => { try { const a = JSON.parse(v); return typeof a === 'object' && a !== null ? undefined : 'a JSON list or object'; } catch (e) { return (e as Error).message; } },
    });
    if (json === undefined) return undefined;
    await this.rememberArgs(target, json);
    return this.submit(folder, { target: { kind: 'function', function: target, args: JSON.parse(json) as unknown[] } });
  }

  /** Runs the same target with the same arguments and name again. */
  rerun(item: JobItem): Promise<JobRecord> {
    const { record } = item;
    return this.submit(item.folder, { target: targetOfRecord(record), name: record.name, resources: record.resources });
  }

  stop(item: JobItem): Promise<JobRecord> {
    return this.jobsOf(item.folder).cancel(item.record.id);
  }

  remove(item: JobItem): Promise<void> {
    return this.jobsOf(item.folder).remove(item.record.id);
  }

  /** Reveals the first collected file, so the Explorer opens the outputs folder; the folder itself when it is empty. */
  revealOutputs(item: JobItem): Thenable<unknown> {
    const first = item.record.outputs[0]?.path.split('/') ?? [];
    return vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(this.jobsOf(item.folder).folder.absolute(item.record.id, 'outputs', ...first)));
  }

  dispose(): void {
    for (const jobs of this.byFolder.values()) jobs.dispose(); // they run on; the next window finds them
    this.changed.dispose();
  }

  private async submit(folder: vscode.WorkspaceFolder, spec: JobSpec): Promise<JobRecord> {
    const config = new Config(folder);
    await confirmEnvironment(this.state, folder, resolveFolderEnvironment(folder.uri.fsPath, config), config);
    const record = this.jobsOf(folder).submit(spec);
    this.watched.add(record.id);
    return record;
  }

  private recordChanged(item: JobItem): void {
    this.changed.fire(item);
    const { record } = item;
    if (!isFinal(record.status)) {
      this.watched.add(record.id);
    } else if (this.watched.delete(record.id)) {
      void this.notifyEnd(item);
    }
  }

  /** A notification, never a modal or a focus change: the user may be typing elsewhere. */
  private async notifyEnd(item: JobItem): Promise<void> {
    const { record } = item;
    const took = record.durationMs === null ? '' : ` in ${formatDuration(record.durationMs)}`;
    const text = `pydock: job "${record.name}" ${record.status}${took}${record.error && record.status === 'failed' ? `: ${record.error}` : ''}.`;
    const actions = ['Open Log', ...(record.outputs.length ? ['Reveal Outputs'] : [])];
    const show = record.status === 'succeeded' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const choice = await show(text, ...actions);
    if (choice === 'Open Log') await this.openLog(item);
    if (choice === 'Reveal Outputs') await this.revealOutputs(item);
  }

  private lastArgs(key: string): string {
    return this.state.get<Record<string, string>>(LAST_ARGS_KEY, {})[key] ?? '';
  }

  private rememberArgs(key: string, value: string): Thenable<void> {
    return this.state.update(LAST_ARGS_KEY, { ...this.state.get<Record<string, string>>(LAST_ARGS_KEY, {}), [key]: value });
  }
}

export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
