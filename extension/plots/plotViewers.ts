// One plot viewer per session, opened from a plot in its panel and told when its transcript changes.
import * as vscode from 'vscode';
import type { PlotRef } from '../../shared/plots';
import { PLOTS_VIEW_TYPE, PlotViewer, type PlotSource } from './plotViewer';

export class PlotViewers implements vscode.Disposable {
  private readonly viewers = new Map<string, PlotViewer>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Shows the plot in the session's viewer (`key`), made in the main editor group (the panel, beside it, stays in view). */
  open(key: string, sessionName: string, source: PlotSource, ref: PlotRef): void {
    let viewer = this.viewers.get(key);
    if (!viewer) {
      const panel = vscode.window.createWebviewPanel(PLOTS_VIEW_TYPE, `Plots: ${sessionName}`, vscode.ViewColumn.One, { retainContextWhenHidden: true });
      const made = (viewer = new PlotViewer(panel, this.extensionUri, source));
      this.viewers.set(key, made);
      made.onDidClose(() => this.viewers.delete(key));
    }
    viewer.show(ref);
  }

  transcriptChanged(key: string): void {
    this.viewers.get(key)?.transcriptChanged();
  }

  dispose(): void {
    for (const viewer of this.viewers.values()) viewer.dispose();
  }
}
