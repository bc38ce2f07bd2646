/** What the router asks of a page: draw into `root`, follow the URL, clean up when left. */
import type { Route } from './router.js';

export interface Page {
  /** The URL changed within the same page (a query or hash): follow it without a rebuild. */
  update?(url: URL): void;
  /** Stop listening, timers, boards: the page is being left. */
  dispose(): void;
}

export interface PageContext<R extends Route = Route> {
  root: HTMLElement;
  route: R;
  url: URL;
}

const SITE = 'Simul';

export function setTitle(title: string | null): void {
  document.title = title ? `${title} · ${SITE}` : `${SITE} — simultaneous chess exhibitions`;
}
