// The plot viewer of one session: an editor tab showing one plot large, with the session's plot history (previous and
// next), save and copy. It follows the newest plot while it shows the newest.
import * as vscode from 'vscode';
import type { Channel } from '../../shared/messaging';
import { plotFormats, transcriptPlots, type PlotFormat, type PlotRef, type TranscriptPlot } from '../../shared/plots';
import type { FromPlots, PlotsFromWebview, ToPlots } from '../../shared/webviewProtocol';
import type { TranscriptEntry } from '../../shared/transcript';
import { setupWebview, showEventFailure, webviewChannel } from '../webviewPort';

export const PLOTS_VIEW_TYPE = 'pydock.plots';

export interface PlotSource {
  /** The session's transcript, as it is now. */
  entries(): readonly TranscriptEntry[];
  save(plot: TranscriptPlot, format: PlotFormat): Promise<string | null>;
}

export class PlotViewer implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: Channel<FromPlots, ToPlots>;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;
  /** The plot shown; undefined: the newest, whichever that is. */
  private current: PlotRef | undefined;

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly source: PlotSource) {
    setupWebview(panel.webview, extensionUri, 'plots', panel.title);
    this.channel = webviewChannel<FromPlots, ToPlots>(panel.webview, this.disposables);
    this.channel.handle({
      event: (message) => this.receive(message),
      eventFailed: (message, error) => showEventFailure(`the plot viewer's ${message.type}`, error),
      requests: {
        'plots.save': ({ entryId, index, format }) => {
          const plot = transcriptPlots(this.source.entries()).find((p) => p.entryId === entryId && p.index === index);
          if (!plot) throw new Error('That plot is no longer in the transcript (it was cleared).');
          return this.source.save(plot, format);
        },
      },
    });
    this.disposables.push(panel.onDidDispose(() => this.dispose()));
  }

  /** Shows this plot, and the tab. */
  show(ref: PlotRef): void {
    const plots = transcriptPlots(this.source.entries());
    this.select(plots, plots.find((p) => p.entryId === ref.entryId && p.index === ref.index));
    this.send();
    this.panel.reveal(undefined, false);
  }

  /** The transcript changed: a new plot shows if the newest was showing; counts move. */
  transcriptChanged(): void {
    this.send();
  }

  private receive(message: PlotsFromWebview): void {
    switch (message.type) {
      case 'plots.ready':
        this.send();
        return;
      case 'plots.go': {
        const plots = transcriptPlots(this.source.entries());
        const at = this.position(plots);
        const to = { first: 0, previous: at - 1, next: at + 1, last: plots.length - 1 }[message.to];
        this.select(plots, plots[Math.max(0, Math.min(plots.length - 1, to))]);
        this.send();
        return;
      }
      default: {
        const unknown: never = message;
        throw new Error(`unknown plot viewer message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private send(): void {
    const plots = transcriptPlots(this.source.entries());
    const at = this.position(plots);
    const plot = plots[at];
    this.channel.send({
      type: 'plots.show', total: plots.length,
      ...(plot ? { plot: { ...plot, formats: plotFormats(plot.display), position: at + 1 } } : {}),
    });
  }

  /** Shows `plot`; the newest (or none) follows new plots as they come. */
  private select(plots: TranscriptPlot[], plot: TranscriptPlot | undefined): void {
    this.current = plot && plot !== plots[plots.length - 1] ? { entryId: plot.entryId, index: plot.index } : undefined;
  }

  /** Where the shown plot is; the newest when it follows, or when its plot is gone (cleared). */
  private position(plots: TranscriptPlot[]): number {
    const { current } = this;
    const at = current ? plots.findIndex((p) => p.entryId === current.entryId && p.index === current.index) : -1;
    return at >= 0 ? at : plots.length - 1;
  }

  dispose(): void {
    this.channel.failAll('the plot viewer was closed');
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.closed.fire();
    this.closed.dispose();
  }
}
