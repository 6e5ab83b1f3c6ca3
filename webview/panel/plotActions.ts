// A plot with its actions: open it in the plot viewer (also by double-click), save it as PNG or SVG, copy the image.
// The actions show on hover and on keyboard focus, and are ordinary buttons in the tab order.
import { plotFormats, type PlotFormat } from '../../shared/plots';
import type { DisplayView } from '../../shared/transcript';
import { renderDisplay } from './displayView';
import { el, flashIcon, iconButton } from './dom';
import { copyImage } from './plotImage';

export type PlotAction = 'open' | `save-${PlotFormat}`;

export function renderPlot(display: DisplayView, act: (action: PlotAction) => void): HTMLElement {
  const figure = el('div', 'pd-plot');
  const image = renderDisplay(display);
  image.addEventListener('dblclick', () => act('open'));
  figure.append(image, plotToolbar(display, act));
  return figure;
}

/** Open, Save as PNG/SVG and Copy, in a toolbar; `act` gets everything but the copy, which happens here. */
export function plotToolbar(display: DisplayView, act: (action: PlotAction) => void, open = true): HTMLElement {
  const bar = el('div', 'pd-plot-actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Plot actions');
  if (open) bar.append(iconButton('screen-full', 'Open in the plot viewer', () => act('open')));
  for (const format of plotFormats(display)) {
    const name = format.toUpperCase();
    bar.append(iconButton('save', `Save as ${name}…`, () => act(`save-${format}`), name));
  }
  bar.append(copyButton(display));
  return bar;
}

function copyButton(display: DisplayView): HTMLButtonElement {
  const label = 'Copy image';
  const button = iconButton('copy', label, () => {
    copyImage(display).then(
      () => {
        say(button, label);
        flashIcon(button, 'check', 'copy');
      },
      (error: Error) => {
        say(button, `The image could not be copied: ${error.message}`);
        flashIcon(button, 'error', 'copy', 4000);
      },
    );
  });
  return button;
}

function say(button: HTMLButtonElement, text: string): void {
  button.title = text;
  button.setAttribute('aria-label', text);
}
