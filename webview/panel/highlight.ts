// Python syntax highlighting with highlight.js, emitted straight to DOM nodes (no HTML string is ever parsed).
import './highlight.css';
import hljs from 'highlight.js/lib/core';
import type { Emitter } from 'highlight.js';
import python from 'highlight.js/lib/languages/python';

/** Builds spans with hljs-* classes as highlight.js walks the code; highlight.js calls these methods as it tokenizes. */
class DomEmitter implements Emitter {
  readonly fragment = document.createDocumentFragment();
  private readonly stack: Node[] = [this.fragment];

  startScope(scope: string): void {
    const span = document.createElement('span');
    span.className = scopeClasses(scope);
    this.top().appendChild(span);
    this.stack.push(span);
  }

  endScope(): void {
    if (this.stack.length > 1) this.stack.pop();
  }

  /** The older names of startScope and endScope, which highlight.js still calls for nested modes. */
  openNode(scope: string): void {
    this.startScope(scope);
  }

  closeNode(): void {
    this.endScope();
  }

  addText(text: string): void {
    if (text) this.top().appendChild(document.createTextNode(text));
  }

  __addSublanguage(emitter: Emitter): void {
    this.top().appendChild((emitter as DomEmitter).fragment);
  }

  finalize(): void {
    this.stack.length = 1;
  }

  /** highlight.js asks for HTML after finalize(); the panel never uses it. */
  toHTML(): string {
    return '';
  }

  private top(): Node {
    return this.stack[this.stack.length - 1];
  }
}

/** highlight.js's class names: "title.function" becomes "hljs-title function_". */
function scopeClasses(scope: string): string {
  const [first, ...rest] = scope.split('.');
  return [`hljs-${first}`, ...rest.map((part, i) => `${part}${'_'.repeat(i + 1)}`)].join(' ');
}

hljs.registerLanguage('python', python);
hljs.configure({ __emitter: DomEmitter });

/** The code as highlighted DOM nodes. */
export function highlightPython(code: string): DocumentFragment {
  return (hljs.highlight(code, { language: 'python', ignoreIllegals: true })._emitter as DomEmitter).fragment;
}
