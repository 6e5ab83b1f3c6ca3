// The Variables view: the active session's namespace as a tree, refreshed after each run, expanded lazily.
import * as vscode from 'vscode';
import type { VariableInfo } from '../../shared/agentProtocol';
import type { Session } from '../engine/session/session';
import { Config } from '../config';
import type { WorkspaceSessions } from '../workspaceSessions';

export const VARIABLES_VIEW = 'pydock.variables';
const SHOW_ALL_CONTEXT = 'pydock.variables.showAll';
const REFRESH_DELAY_MS = 150;
const HIDDEN_KINDS = new Set<VariableInfo['kind']>(['module', 'function', 'class', 'private']);

type Node = VariableInfo | { message: string };

export class VariablesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private showAll = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly sessions: WorkspaceSessions) {
    void vscode.commands.executeCommand('setContext', SHOW_ALL_CONTEXT, false);
    this.disposables.push(
      vscode.window.createTreeView(VARIABLES_VIEW, { treeDataProvider: this, showCollapseAll: true }),
      // Idle after a run (or dead, or restarted): the namespace may have changed.
      sessions.onDidChangeState(({ state }) => { if (state !== 'busy' && state !== 'starting') this.refreshSoon(); }),
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshSoon()),
      sessions.onDidChangeActive(() => this.refreshSoon()),
      vscode.workspace.onDidChangeConfiguration((event) => { if (Config.affectsNumbers(event)) this.refreshSoon(); }),
    );
  }

  /** The session the view follows: the active editor's. */
  private session(): Session | undefined {
    const session = this.sessions.active();
    return session && (session.state === 'idle' || session.state === 'busy') ? session : undefined;
  }

  toggleFilter(): void {
    this.showAll = !this.showAll;
    void vscode.commands.executeCommand('setContext', SHOW_ALL_CONTEXT, this.showAll);
    this.changed.fire(undefined);
  }

  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(undefined), REFRESH_DELAY_MS);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const session = this.session();
    if (!session) return node ? [] : [{ message: 'No running session: run some code to see its variables.' }];
    try {
      const { numbers } = new Config();
      const reply = node && 'path' in node
        ? await session.inspect({ type: 'vars.expand', path: node.path, expr: node.expr, numbers })
        : await session.inspect({ type: 'vars', numbers });
      const shown = reply.variables.filter((v) => this.showAll || node || !HIDDEN_KINDS.has(v.kind));
      const more = reply.truncated ? [{ message: 'More items are not shown.' }] : [];
      return [...shown, ...more].length ? [...shown, ...more] : node ? [] : [{ message: 'No variables yet.' }];
    } catch (error) {
      return [{ message: `Could not list variables: ${(error as Error).message}` }];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if ('message' in node) return new vscode.TreeItem(node.message);
    const item = new vscode.TreeItem(node.name, node.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const shape = node.shape ? ` ${shapeText(node.shape)}` : '';
    item.description = `${shortType(node.type)}${shape}  ${(node.shown ?? node.repr).replace(/\s+/g, ' ')}`;
    item.tooltip = new vscode.MarkdownString(`**${node.name}**: \`${node.type}\`${shape ? ` (${shape.trim()})` : ''}\n\n`).appendCodeblock(node.repr, 'python');
    item.contextValue = node.tabular ? 'tabular' : 'variable';
    item.iconPath = new vscode.ThemeIcon(ICONS[node.kind] ?? (node.tabular ? 'table' : 'symbol-variable'));
    item.id = JSON.stringify(node.path);
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

const ICONS: Partial<Record<VariableInfo['kind'], string>> = { module: 'package', function: 'symbol-method', class: 'symbol-class' };

/** 1,000,000×3: sizes with thousands separators. */
export function shapeText(shape: number[]): string {
  return shape.map((n) => n.toLocaleString('en-US')).join('×');
}

function shortType(type: string): string {
  return type.split('.').pop() ?? type;
}
