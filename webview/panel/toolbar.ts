// The panel's toolbar: the session (name, state badge, description, or why it died) and interrupt, restart, clear.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import type { SessionView } from '../../shared/webviewProtocol';
import { el } from './dom';
import type { Post } from './host';

const ACTIONS = [
  { icon: 'debug-stop', label: 'Interrupt', message: { type: 'panel.interrupt' } },
  { icon: 'debug-restart', label: 'Restart Session', message: { type: 'panel.restart' } },
  { icon: 'clear-all', label: 'Clear', message: { type: 'panel.clear' } },
] as const;

export class Toolbar {
  readonly element = el('header', 'pd-toolbar');
  private readonly name = el('span', 'pd-session-name');
  private readonly badge = el('vscode-badge', 'pd-session-state');
  private readonly description = el('span', 'pd-session-description');
  private readonly progress = el('vscode-progress-bar', 'pd-progress');

  constructor(post: Post) {
    const session = el('div', 'pd-session');
    session.setAttribute('role', 'status');
    session.append(this.name, this.badge, this.description);
    const actions = el('div', 'pd-actions');
    actions.setAttribute('role', 'toolbar');
    actions.setAttribute('aria-label', 'Session');
    for (const action of ACTIONS) {
      const button = el('vscode-toolbar-button');
      button.icon = action.icon;
      button.label = action.label;
      button.title = action.label;
      button.addEventListener('click', () => post(action.message));
      actions.append(button);
    }
    this.progress.indeterminate = true;
    this.progress.ariaLabel = 'Running';
    this.element.append(session, actions, this.progress);
    this.show({ key: '', name: 'pydock', state: 'new', description: '' });
  }

  show(session: SessionView): void {
    this.name.textContent = session.name;
    this.badge.textContent = session.state;
    this.element.dataset.state = session.state;
    const problem = session.state === 'dead' && session.problem;
    this.description.textContent = problem || session.description;
    this.description.title = this.description.textContent;
    this.description.classList.toggle('pd-problem', !!problem);
    this.progress.hidden = session.state !== 'busy' && session.state !== 'starting';
  }
}
