// Completions for the panel's REPL input, asked of the session's language server as for an editor document.
import type { ReplSuggestion } from '../../../shared/webviewProtocol';
import { completionWhenReady } from './completionWhenReady';
import { LspTunnel, type LspEndpoint } from './lspTunnel';

/** The input's document in the agent's server: one per session, its text sent whole with each request. */
const INPUT_URI = 'pydock-repl:/input.py';
const MAX_SUGGESTIONS = 50;

interface Position { line: number; character: number }
interface CompletionItem {
  label: string;
  kind?: number;
  labelDetails?: { description?: string };
  insertText?: string;
  textEdit?: { range: { start: Position; end: Position }; newText: string };
}

export class ReplCompletion {
  private readonly tunnel: LspTunnel;
  private version = 0;

  constructor(private readonly endpoint: LspEndpoint) {
    this.tunnel = new LspTunnel(endpoint);
  }

  /** The suggestions at offset (UTF-16, as the textarea counts) of the input's code; none while the session is not running. */
  async complete(code: string, offset: number): Promise<ReplSuggestion[]> {
    if (!this.running()) return [];
    const version = ++this.version;
    await this.tunnel.send({
      jsonrpc: '2.0', method: 'textDocument/didOpen',
      params: { textDocument: { uri: INPUT_URI, languageId: 'python', version, text: code } },
    });
    const result = await completionWhenReady(
      () => this.tunnel.call<{ items: CompletionItem[] } | null>('textDocument/completion', {
        textDocument: { uri: INPUT_URI }, position: positionOf(code, offset),
      }),
      () => version !== this.version || !this.running());
    const suggestions = (result?.items ?? []).map((item) => suggestion(item, code, offset));
    return filtered(suggestions, code).slice(0, MAX_SUGGESTIONS);
  }

  private running(): boolean {
    return this.endpoint.state === 'idle' || this.endpoint.state === 'busy';
  }
}

/**
 * What an editor's suggest widget does on its side: keeps the suggestions whose label holds the typed part of what
 * they replace (in order, any case), those starting with it first. The server narrows only by the first character.
 */
export function filtered(suggestions: ReplSuggestion[], code: string): ReplSuggestion[] {
  const scored = suggestions.map((s) => {
    const typed = code.slice(s.start, s.end).replace(/^["']/, '').toLowerCase();
    const label = s.label.toLowerCase();
    return { s, rank: label.startsWith(typed) ? 0 : inOrder(typed, label) ? 1 : 2 };
  });
  return scored.filter((x) => x.rank < 2).sort((a, b) => a.rank - b.rank).map((x) => x.s);
}

function inOrder(typed: string, label: string): boolean {
  let at = 0;
  for (const char of typed) {
    at = label.indexOf(char, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** An item as the input applies it: replace [start, end) of the code with text. */
export function suggestion(item: CompletionItem, code: string, offset: number): ReplSuggestion {
  const description = item.labelDetails?.description ?? '';
  if (item.textEdit) {
    const { start, end } = item.textEdit.range;
    return { label: item.label, description, text: item.textEdit.newText, start: offsetOf(code, start), end: offsetOf(code, end) };
  }
  const word = /[\p{L}\p{N}_]*$/u.exec(code.slice(0, offset))![0];
  return { label: item.label, description, text: item.insertText ?? item.label, start: offset - word.length, end: offset };
}

function positionOf(code: string, offset: number): Position {
  const before = code.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function offsetOf(code: string, position: Position): number {
  const lines = code.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i].length + 1;
  return offset + position.character;
}
