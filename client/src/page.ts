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

/**
 * A page whose code is fetched when it is first opened (its own chunk, out of the other pages'
 * bundle): an empty page until it has come, then that page.
 */
export function lazyPage(ctx: PageContext, load: () => Promise<(ctx: PageContext) => Page>): Page {
  let page: Page | null = null;
  let left = false;
  let url = ctx.url;
  load().then(
    (open) => {
      if (!left) page = open({ ...ctx, url });
    },
    () => {
      if (!left) ctx.root.textContent = 'This page could not be loaded. Reload to try again.';
    },
  );
  return {
    update(next) {
      url = next;
      page?.update?.(next);
    },
    dispose() {
      left = true;
      page?.dispose();
    },
  };
}
