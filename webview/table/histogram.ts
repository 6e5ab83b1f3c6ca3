// A column's histogram as SVG bars (no chart library), with the bin edges and counts in each bar's tooltip.
import type { Cell } from '../../shared/webviewProtocol';
import { displayCell } from '../../shared/cellText';
import { formatCount, h, svg } from './dom';

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bars filling width × height, tallest bin at full height; a non-empty bin gets at least one pixel. */
export function histogramBars(counts: number[], width: number, height: number, gap = 1): Bar[] {
  const most = Math.max(0, ...counts);
  const step = counts.length ? width / counts.length : 0;
  return counts.map((count, i) => {
    const barHeight = most === 0 ? 0 : Math.max(count > 0 ? 1 : 0, (count / most) * height);
    return { x: i * step, y: height - barHeight, width: Math.max(1, step - gap), height: barHeight };
  });
}

const WIDTH = 260;
const HEIGHT = 80;

export function histogramChart(histogram: { edges: Cell[]; counts: number[] }): HTMLElement {
  const edge = (i: number) => (histogram.edges[i] === undefined ? '' : displayCell(histogram.edges[i]).text);
  const chart = svg('svg', { class: 'histogram', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `Histogram, ${histogram.counts.length} bins` });
  histogramBars(histogram.counts, WIDTH, HEIGHT).forEach((bar, i) => {
    chart.append(svg('rect', { x: bar.x, y: bar.y, width: bar.width, height: bar.height, class: 'bar' },
      svg('title', {}, `${edge(i)} – ${edge(i + 1)}: ${formatCount(histogram.counts[i])}`)));
  });
  const axis = h('div', { class: 'axis' }, h('span', {}, edge(0)), h('span', {}, edge(histogram.counts.length)));
  return h('div', { class: 'histogram-box' }, chart, axis);
}
