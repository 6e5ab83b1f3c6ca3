// The plot viewer webview: one plot of the session large, fitted to the tab (or at its own size), with previous and
// next through the session's plots (buttons, arrow keys, Home and End), save as PNG or SVG, and copy.
import '@vscode/codicons/dist/codicon.css';
import '../panel/page.css';
import './plots.css';
import { connectToExtension } from '../pagePort';
import type { FromPlots, PlotView, PlotsFromWebview, ToPlots } from '../../shared/webviewProtocol';
import { imageUrl } from '../panel/displayView';
import { el, iconButton } from '../panel/dom';
import { formatCount } from '../panel/numbers';
import { plotToolbar, type PlotAction } from '../panel/plotActions';

const { channel } = connectToExtension<ToPlots, FromPlots>();
const post = (message: PlotsFromWebview) => channel.send(message);
const go = (to: Extract<PlotsFromWebview, { type: 'plots.go' }>['to']) => post({ type: 'plots.go', to });

const previous = iconButton('arrow-left', 'Previous plot (Left arrow)', () => go('previous'));
const next = iconButton('arrow-right', 'Next plot (Right arrow)', () => go('next'));
const position = el('span', 'pl-position');
const fit = iconButton('screen-normal', 'Show at its own size', () => setFitted(!stage.classList.contains('pl-fit')));
const actions = el('span', 'pl-actions');
const status = el('span', 'pl-status');
status.setAttribute('role', 'status');
const toolbar = el('header', 'pl-toolbar');
toolbar.setAttribute('role', 'toolbar');
toolbar.setAttribute('aria-label', 'Plot viewer');
toolbar.append(previous, next, position, status, el('span', 'pl-spacer'), fit, actions);
const image = el('img', 'pl-image');
const empty = el('div', 'pl-empty', 'No plots in this session yet: plt.show() or a figure left open at the end of a run shows one.');
const stage = el('main', 'pl-stage pl-fit');
stage.tabIndex = 0;
stage.setAttribute('aria-label', 'Plot');
stage.append(image, empty);
document.body.append(toolbar, stage);

let shown: PlotView | undefined;

channel.handle({
  event: (message) => {
    if (message.type === 'plots.show') show(message.plot, message.total);
  },
  eventFailed: (message, error) => console.error(`pydock: the plot viewer could not show ${message.type}: ${(error as Error)?.stack ?? error}`),
  requests: {},
});

document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' ')) return;
  const to = ({ ArrowLeft: 'previous', ArrowRight: 'next', Home: 'first', End: 'last' } as const)[event.key as string];
  if (!to || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  go(to);
});
post({ type: 'plots.ready' });

function show(plot: PlotView | undefined, total: number): void {
  const changed = plot?.entryId !== shown?.entryId || plot?.index !== shown?.index || plot?.display.data !== shown?.display.data;
  shown = plot;
  image.hidden = !plot;
  empty.hidden = !!plot;
  previous.disabled = !plot || plot.position <= 1;
  next.disabled = !plot || plot.position >= total;
  position.textContent = plot ? `Plot ${formatCount(plot.position)} of ${formatCount(total)} · In [${plot.count}]` : '';
  if (!plot || !changed) return;
  image.src = imageUrl(plot.display);
  image.alt = `Plot ${plot.position} of ${total}, from In [${plot.count}]`;
  status.textContent = '';
  actions.replaceChildren(plotToolbar(plot.display, (action) => void save(plot, action), false));
}

async function save(plot: PlotView, action: PlotAction): Promise<void> {
  if (action === 'open') return;
  const format = action === 'save-png' ? 'png' : 'svg';
  status.textContent = `Saving as ${format.toUpperCase()}…`;
  try {
    const saved = await channel.request({ type: 'plots.save', entryId: plot.entryId, index: plot.index, format });
    status.textContent = saved ? `Saved to ${saved}` : '';
  } catch (error) {
    status.textContent = `Not saved: ${(error as Error).message}`;
    status.classList.add('pl-error');
    return;
  }
  status.classList.remove('pl-error');
}

function setFitted(fitted: boolean): void {
  stage.classList.toggle('pl-fit', fitted);
  const label = fitted ? 'Show at its own size' : 'Fit to the window';
  fit.title = label;
  fit.setAttribute('aria-label', label);
  (fit.firstElementChild as HTMLElement).className = `codicon codicon-${fitted ? 'screen-normal' : 'screen-full'}`;
}
