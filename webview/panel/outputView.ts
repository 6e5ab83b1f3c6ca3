// One output of an entry, drawn by kind (stream, rich display, result, error, notice), with a copy button.
import { streamText, type OutputItem } from '../../shared/transcript';
import { plotImage } from '../../shared/plots';
import type { PanelSettings } from '../../shared/webviewProtocol';
import { renderDisplay } from './displayView';
import { renderPlot } from './plotActions';
import { codicon, el, flashIcon, iconButton } from './dom';
import type { Post } from './host';
import { StreamView } from './streamView';
import { renderTablePreview } from './tablePreview';
import { renderError, tracebackText } from './traceback';

export class OutputView {
  readonly element = el('div');
  /** Set while the output is a stream, which is drawn incrementally. */
  private stream: StreamView | undefined;

  /** `index`: the output's place in its entry, which names a plot to the extension. */
  constructor(
    private output: OutputItem, private readonly entryId: string, private readonly index: number, private readonly post: Post,
    private readonly settings: PanelSettings,
  ) {
    this.draw();
  }

  /** Brings the DOM up to date (a new view draws here too); false while a stream has more to draw next frame. */
  sync(output: OutputItem): boolean {
    const previous = this.output;
    this.output = output;
    const sameStream = output.kind === 'stream' && previous.kind === 'stream' && output.name === previous.name;
    if (output !== previous && !(this.stream && sameStream)) this.draw();
    return this.stream && output.kind === 'stream' ? this.stream.sync(output) : true;
  }

  private draw(): void {
    this.stream = undefined;
    this.element.className = `pd-output pd-output-${this.output.kind}`;
    this.element.replaceChildren(this.content(this.output));
    if (copyText(this.output) !== undefined) this.element.append(this.copyButton());
  }

  private content(output: OutputItem): HTMLElement {
    const plot = plotImage(output);
    if (plot) return renderPlot(plot, (action) => this.post({ type: 'panel.plot', entryId: this.entryId, index: this.index, action }));
    switch (output.kind) {
      case 'stream': {
        this.stream = new StreamView(output.name, () => this.post({ type: 'panel.openFullOutput', entryId: this.entryId }), this.settings);
        return this.stream.element; // sync() draws its text
      }
      case 'display':
        return renderDisplay(output.display);
      case 'result': {
        const { table } = output;
        if (table) return renderTablePreview(table, () => this.post({ type: 'panel.openTable', entryId: this.entryId, ref: table.ref }));
        if (output.display?.length) return renderDisplay(output.display[0]);
        const repr = el('pre', 'pd-result', output.repr);
        repr.title = output.pyType;
        return repr;
      }
      case 'error':
        return renderError(output.error, (file, line) => this.post({ type: 'panel.openLocation', file, line }));
      case 'notice': {
        const notice = el('div', `pd-notice pd-notice-${output.level}`);
        notice.append(codicon(output.level), el('span', undefined, output.text));
        return notice;
      }
      default: {
        const unknown: never = output;
        throw new Error(`unknown output ${JSON.stringify(unknown)}`);
      }
    }
  }

  private copyButton(): HTMLButtonElement {
    const button = iconButton('copy', 'Copy output', () => {
      const text = copyText(this.output);
      if (text === undefined) return;
      this.post({ type: 'panel.copy', text });
      flashIcon(button, 'check', 'copy');
    });
    button.classList.add('pd-copy');
    return button;
  }
}

/** The output as text for the clipboard; undefined for images. */
function copyText(output: OutputItem): string | undefined {
  switch (output.kind) {
    case 'stream':
      return streamText(output);
    case 'display':
      return output.display.mime.startsWith('image/') ? undefined : output.display.data;
    case 'result':
      return output.repr;
    case 'error':
      return tracebackText(output.error) || `${output.error.type}: ${output.error.message}`;
    case 'notice':
      return output.text;
    default: {
      const unknown: never = output;
      throw new Error(`unknown output ${JSON.stringify(unknown)}`);
    }
  }
}
