// The Jobs view: every run of the workspace with a status icon, its name and its elapsed or final duration; inline
// Stop, Rerun, Open Log, Reveal Outputs and Delete Record (package.json menus, by the item's context value).
import * as vscode from 'vscode';
import { isFinal, type JobStatus } from '../engine/jobs/jobTypes';
import { formatDuration, type JobItem, type JobsController } from './jobsController';

export const JOBS_VIEW = 'pydock.jobs';
const TICK_MS = 1000;

const ICONS: Record<JobStatus, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  lost: ['question', 'problemsWarningIcon.foreground'],
};

export class JobsView implements vscode.TreeDataProvider<JobItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** While a job runs, its elapsed time is redrawn every second. */
  private ticking: NodeJS.Timeout | undefined;

  constructor(private readonly jobs: JobsController) {
    this.disposables.push(
      vscode.window.createTreeView(JOBS_VIEW, { treeDataProvider: this }),
      jobs.onDidChange(() => this.changed.fire(undefined)),
      { dispose: () => clearInterval(this.ticking) },
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(item?: JobItem): Promise<JobItem[]> {
    if (item) return [];
    const items = await this.jobs.items();
    this.tick(items.some((i) => i.record.status === 'running'));
    return items;
  }

  getTreeItem({ folder, record }: JobItem): vscode.TreeItem {
    const tree = new vscode.TreeItem(record.name, vscode.TreeItemCollapsibleState.None);
    tree.id = `${folder.uri.toString()}#${record.id}`;
    const [icon, color] = ICONS[record.status];
    tree.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    tree.description = describe(record);
    tree.tooltip = new vscode.MarkdownString([
      `**${record.name}** (${record.status})`, `\`${record.target}\` ${JSON.stringify(record.args)}`, `id ${record.id}`,
      record.image.name && `image ${record.image.name}`, record.starting, record.error && `${record.error}`,
      record.outputs.length ? `${record.outputs.length} output file(s)` : '',
    ].filter(Boolean).join('\n\n'));
    tree.contextValue = isFinal(record.status) ? 'pydock.job.ended' : 'pydock.job.running';
    tree.command = { command: 'pydock.jobs.openLog', title: 'Open Log', arguments: [{ folder, record }] };
    return tree;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private tick(running: boolean): void {
    if (running && !this.ticking) this.ticking = setInterval(() => this.changed.fire(undefined), TICK_MS);
    if (!running && this.ticking) {
      clearInterval(this.ticking);
      this.ticking = undefined;
    }
  }
}

/** "running 12.0 s · 40% loading", "succeeded 3.2 s", "queued · pod pending: Unschedulable (…)". */
function describe(record: JobItem['record']): string {
  const elapsed = record.durationMs ?? (record.startedAt && !isFinal(record.status) ? Date.now() - Date.parse(record.startedAt) : null);
  const progress = record.progress && !isFinal(record.status) ? ` · ${Math.round(record.progress.fraction * 100)}% ${record.progress.message}` : '';
  const starting = record.starting ? ` · ${record.starting}` : '';
  return `${record.status}${elapsed === null ? '' : ` ${formatDuration(Math.max(0, elapsed))}`}${progress}${starting}`;
}
