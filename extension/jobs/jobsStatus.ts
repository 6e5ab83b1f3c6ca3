// The status bar while jobs run: the one job's progress ("train.py 40% epoch 2"), or how many run; a click shows the view.
import * as vscode from 'vscode';
import { isFinal, type JobRecord } from '../engine/jobs/jobTypes';
import type { JobsController } from './jobsController';

export class JobsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pydock.jobs', vscode.StatusBarAlignment.Left, 48);
  private readonly running = new Map<string, JobRecord>();
  private readonly subscription: vscode.Disposable;

  constructor(jobs: JobsController) {
    this.item.name = 'pydock jobs';
    this.item.command = 'pydock.jobs.focus';
    this.subscription = jobs.onDidChange((item) => {
      if (!item) return;
      if (isFinal(item.record.status)) this.running.delete(item.record.id);
      else this.running.set(item.record.id, item.record);
      this.update();
    });
  }

  private update(): void {
    const records = [...this.running.values()];
    if (!records.length) {
      this.item.hide();
      return;
    }
    const [one] = records;
    const progress = one.progress ? ` ${Math.round(one.progress.fraction * 100)}% ${one.progress.message}` : '';
    this.item.text = records.length === 1 ? `$(sync~spin) ${one.name}${progress}` : `$(sync~spin) ${records.length} jobs`;
    this.item.tooltip = records.map((r) => `${r.name}: ${r.status}${r.progress ? ` ${Math.round(r.progress.fraction * 100)}% ${r.progress.message}` : ''}`).join('\n');
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
