// The panel page's link to the extension (the port both webviews share), and how its views post events.
import { connectToExtension, type PageLink } from '../pagePort';
import type { FromPanel, PanelFromWebview, ToPanel } from '../../shared/webviewProtocol';

/** How views speak to the extension. */
export type Post = (message: PanelFromWebview) => void;

export interface Host extends PageLink<ToPanel, FromPanel> {
  post: Post;
}

/** acquireVsCodeApi() may be called once per page, so this is too. */
export function connectHost(): Host {
  const link = connectToExtension<ToPanel, FromPanel>();
  return { ...link, post: (message) => link.channel.send(message) };
}
