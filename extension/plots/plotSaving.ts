// Saves a plot where the user picks: PNG as the panel shows it, SVG as it came or drawn again by the agent. What comes
// from a container is written only inside the workspace folder, without following symlinks out of it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeInside } from '../engine/docker/containedWrite';
import type { Session } from '../engine/session/session';
import type { PlotFormat, TranscriptPlot } from '../../shared/plots';

export interface SaveTarget {
  session: Session;
  /** The local folder the container sees at /workspace. */
  workspaceFolder?: string;
}

/** Asks where, then writes the plot: the saved path, or null when the user chose none. */
export async function savePlot(plot: TranscriptPlot, format: PlotFormat, target: SaveTarget): Promise<string | null> {
  const bytes = format === 'png' ? pngBytes(plot) : await svgBytes(plot, target.session);
  const folder = target.workspaceFolder;
  const chosen = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(folder ?? process.cwd(), `plot-${plot.count}-${plot.index + 1}.${format}`)),
    filters: { [format.toUpperCase()]: [format] },
    title: `Save the plot of In [${plot.count}] as ${format.toUpperCase()}`,
  });
  if (!chosen) return null;
  const local = chosen.fsPath;
  if (target.session.backendKind === 'local') { // the bytes came from this machine's own process
    await fs.promises.writeFile(local, bytes);
    return local;
  }
  const relative = folder === undefined ? '..' : path.relative(folder, local);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`Choose a file inside the workspace folder${folder ? ` (${folder})` : ''}: pydock writes what comes from a container only there.`);
  }
  writeInside(folder!, relative.split(path.sep).join('/'), bytes, 0o644);
  return local;
}

function pngBytes(plot: TranscriptPlot): Buffer {
  if (plot.display.mime !== 'image/png') throw new Error(`This plot came as ${plot.display.mime}, not as PNG: save it as SVG.`);
  return Buffer.from(plot.display.data, 'base64');
}

/** SVG that came as SVG (markup or base64), or the figure drawn again by the agent that keeps it. */
async function svgBytes(plot: TranscriptPlot, session: Session): Promise<Buffer> {
  const { display } = plot;
  if (display.mime === 'image/svg+xml') {
    return display.data.trimStart().startsWith('<') ? Buffer.from(display.data, 'utf8') : Buffer.from(display.data, 'base64');
  }
  if (display.plot === undefined) throw new Error('This plot is an image only (no figure to draw again): save it as PNG.');
  if (session.state !== 'idle' && session.state !== 'busy') {
    throw new Error('The session that drew this plot is not running, so it cannot be drawn as SVG: save it as PNG, or run its code again.');
  }
  const svg = await session.inspect({ type: 'plot.render', plot: display.plot, format: 'svg' });
  return Buffer.from(svg, 'utf8');
}
