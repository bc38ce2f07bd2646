/** Real URLs for every page: the history API, same-origin link clicks, the back button. */

export type Route =
  | { page: 'lobby' }
  | { page: 'host' }
  | { page: 'lesson' }
  | { page: 'watch'; id: string }
  | { page: 'play'; id: string }
  | { page: 'console'; id: string }
  | { page: 'missing' };

export function parse(url: URL): Route {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'lobby' };
  if (path === '/host') return { page: 'host' };
  if (path === '/lesson') return { page: 'lesson' };
  const x = /^\/x\/([^/]+)(?:\/(play|host))?$/.exec(path);
  if (x) {
    const id = decodeURIComponent(x[1]);
    if (x[2] === 'play') return { page: 'play', id };
    if (x[2] === 'host') return { page: 'console', id };
    return { page: 'watch', id };
  }
  return { page: 'missing' };
}

/** The same page of the same exhibition: a change of query or hash only. */
export function samePage(a: Route, b: Route): boolean {
  return a.page === b.page && ('id' in a ? a.id : '') === ('id' in b ? b.id : '');
}

export const paths = {
  lobby: () => '/',
  host: (query = '') => `/host${query}`,
  lesson: (query = '') => `/lesson${query}`,
  watch: (id: string, table?: number) => `/x/${encodeURIComponent(id)}${table ? `?board=${table}` : ''}`,
  play: (id: string) => `/x/${encodeURIComponent(id)}/play`,
  console: (id: string, hostKey?: string) => `/x/${encodeURIComponent(id)}/host${hostKey ? `#key=${encodeURIComponent(hostKey)}` : ''}`,
};

type Render = (url: URL) => void;
let render: Render = () => {};

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = new URL(href, location.href);
  if (url.href === location.href && !options.replace) return;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render(url);
}

/** Starts routing: renders the current URL, then every navigation. */
export function start(onRoute: Render): void {
  render = onRoute;
  window.addEventListener('popstate', () => render(new URL(location.href)));
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = (event.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (a.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(a.href);
  });
  render(new URL(location.href));
}
