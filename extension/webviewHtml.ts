// The HTML shell of pydock's webviews, with a strict CSP and a nonce. Pure, so the browser tests load the same page.
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  title: string;
  /** The webview's own origin, as webview.cspSource gives it. */
  cspSource: string;
  scriptUri: string;
  styleUris: string[];
  /** Extra classes for <body>, e.g. the bundle's name. */
  bodyClass: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Scripts only with the nonce; styles and fonts only from the extension; images from the extension and data:
 * (plots arrive as data: URLs); frames only from data: for sandboxed HTML reprs, which the sandbox keeps script-free.
 */
export function webviewHtml(page: WebviewPage): string {
  const nonce = page.nonce ?? newNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${page.cspSource} 'unsafe-inline'`,
    `font-src ${page.cspSource}`,
    `img-src ${page.cspSource} data: blob:`,
    'frame-src data: blob:',
  ].join('; ');
  // The bundle's stylesheet carries codicon.css; @vscode-elements finds the icon font through this id.
  const styles = page.styleUris.map((uri, i) => `<link rel="stylesheet" href="${escape(uri)}"${i === 0 ? ' id="vscode-codicon-stylesheet"' : ''}>`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escape(page.title)}</title>
  </head>
  <body class="${escape(page.bodyClass)}">
    <script nonce="${nonce}" type="module" src="${escape(page.scriptUri)}"></script>
  </body>
</html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
