// When no Docker daemon answers in auto mode: say so once, with what to do, and offer the local backend. Never switch silently.
import * as vscode from 'vscode';
import type { PydockError } from './engine/errors';

export const USE_LOCAL = 'Use Local Python (Not Sandboxed)';
const OPEN_SETTINGS = 'Docker Host Setting';
const INSTALL_URL = 'https://docs.docker.com/engine/install/';

/** The window's answer: asked at the first start without Docker; later starts fail with the daemon's error, or run locally if chosen. */
export class NoDockerOffer {
  private asked = false;
  private chosenLocal = false;

  /** True when the user chose the local backend for this window. */
  async offer(cause: PydockError): Promise<boolean> {
    if (this.chosenLocal) return true;
    if (this.asked) return false;
    this.asked = true;
    const detail = [
      cause.message,
      '',
      `To run Python in a sandboxed container, install Docker (${INSTALL_URL}) or start it ("sudo systemctl start docker", or Docker Desktop).`,
      'For a Docker daemon on another machine, set pydock.docker.host (or DOCKER_HOST, or a docker context), e.g. ssh://user@host.',
      '',
      'Or run Python on this machine for this window, without a sandbox: your code can then read and change anything your user can.',
    ].join('\n');
    // The setting comes first, as the default button: Enter never turns the sandbox off.
    const choice = await vscode.window.showWarningMessage('pydock: Docker is not available, so no sandboxed session can start.',
      { modal: true, detail }, OPEN_SETTINGS, USE_LOCAL);
    if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand('workbench.action.openSettings', 'pydock.docker.host');
    this.chosenLocal = choice === USE_LOCAL;
    return this.chosenLocal;
  }
}
