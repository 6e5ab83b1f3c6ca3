// Connects a VS Code webview to the shared Channel, says when handling one of its events failed, and builds its HTML
// from the bundled scripts.
import * as vscode from 'vscode';
import { errorMessage } from './engine/errors';
import { Channel, type Port } from '../shared/messaging';
import type { Direction, Envelope } from '../shared/webviewProtocol';
import { webviewHtml } from './webviewHtml';

export function webviewChannel<In extends Direction<{ type: string }, object>, Out extends Direction<{ type: string }, object>>(
  webview: vscode.Webview, disposables: vscode.Disposable[]): Channel<In, Out> {
  const port: Port = {
    post: (message) => void webview.postMessage(message),
    onMessage: (listener) => disposables.push(webview.onDidReceiveMessage((message: Envelope<unknown>) => listener(message))),
  };
  return new Channel<In, Out>(port);
}

/** An event from a webview could not be handled: no one waits for an event, so the user is told here. */
export function showEventFailure(what: string, error: unknown): void {
  void vscode.window.showErrorMessage(`pydock: ${what} failed: ${errorMessage(error)}`);
}

/** Scripts run, but only from dist/webview; the page is rebuilt from the bundle named. */
export function setupWebview(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: 'panel' | 'table' | 'plots', title: string): void {
  const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  webview.options = { enableScripts: true, localResourceRoots: [root] };
  webview.html = webviewHtml({
    title,
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.js`)).toString(),
    styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(root, `${bundle}.css`)).toString()],
    bodyClass: bundle,
  });
}
