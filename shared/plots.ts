// The plots of a transcript, in order: image outputs and results shown as images, each named by its entry and output,
// and the formats each can be saved in.
import type { DisplayView, OutputItem, TranscriptEntry } from './transcript';

export type PlotFormat = 'png' | 'svg';

/** Where a plot sits: its entry, and its output's index there. */
export interface PlotRef { entryId: string; index: number }

export interface TranscriptPlot extends PlotRef {
  /** The entry's In [n]. */
  count: number;
  display: DisplayView;
}

/** The image an output shows, if it shows one: a display, or a result drawn by its first rich repr. */
export function plotImage(output: OutputItem): DisplayView | undefined {
  const display = output.kind === 'display' ? output.display : output.kind === 'result' && !output.table ? output.display?.[0] : undefined;
  return display?.mime.startsWith('image/') ? display : undefined;
}

export function transcriptPlots(entries: readonly TranscriptEntry[]): TranscriptPlot[] {
  const plots: TranscriptPlot[] = [];
  for (const entry of entries) {
    entry.outputs.forEach((output, index) => {
      const display = plotImage(output);
      if (display) plots.push({ entryId: entry.id, index, count: entry.count, display });
    });
  }
  return plots;
}

/** PNG as it came; SVG when it came as SVG, or when the agent keeps the figure to draw it again. */
export function plotFormats(display: DisplayView): PlotFormat[] {
  if (display.mime === 'image/svg+xml') return ['svg'];
  return display.plot === undefined ? ['png'] : ['png', 'svg'];
}
