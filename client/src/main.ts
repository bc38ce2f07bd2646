/** The app: the frame every page shares, the connection banner, and the router choosing the page. */
import '@lichess-org/chessground/assets/chessground.base.css';
import '@lichess-org/chessground/assets/chessground.brown.css';
import '@lichess-org/chessground/assets/chessground.cburnett.css';
import './styles/app.css';
import { h, show, setText } from './dom.js';
import { feedLink } from './feed.js';
import type { Connection } from './link.js';
import { socketLink } from './net.js';
import { lazyPage, type Page, type PageContext } from './page.js';
import { consolePage } from './pages/console.js';
import { hostPage } from './pages/host.js';
import { lobbyPage } from './pages/lobby.js';
import { missingPage } from './pages/message.js';
import { playPage } from './pages/play.js';
import { watchPage } from './pages/watch.js';
import { parse, type Route, samePage, start } from './router.js';
import { unlockSoundOnGesture } from './sound.js';

const banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', hidden: true, 'data-testid': 'connection' });
const main = h('main', { class: 'main', id: 'main' });
const app = document.getElementById('app')!;
app.append(
  h(
    'header',
    { class: 'site-header' },
    h(
      'a',
      { class: 'logo', href: '/', 'aria-label': 'Simul — lobby' },
      h('span', { class: 'logo-mark', 'aria-hidden': 'true' }, '♞'),
      h('span', { class: 'logo-text' }, 'Simul'),
    ),
    h('nav', { class: 'site-nav' }, h('a', { href: '/' }, 'Lobby'), h('a', { href: '/host' }, 'Host'), h('a', { href: '/lesson' }, 'Lesson')),
  ),
  banner,
  main,
  h(
    'footer',
    { class: 'site-footer' },
    'Simul is free software (GPL-3.0-or-later). Boards by ',
    h('a', { href: 'https://github.com/lichess-org/chessground', target: '_blank', rel: 'noopener' }, 'chessground'),
    '.',
  ),
);

// "reconnecting…" only after a moment: a blink of a connection is not news
let bannerTimer = 0;
const links = [socketLink, feedLink()];
/** The worst of the open connections: socket.io's, the feed's, or both while a page hands over. */
function connectionChanged(): void {
  const states = links.map((l) => l.connectionState());
  const state: Connection = states.includes('reconnecting') ? 'reconnecting' : states.includes('connecting') ? 'connecting' : 'connected';
  window.clearTimeout(bannerTimer);
  if (state === 'connected') {
    if (!banner.hidden) {
      setText(banner, 'Connected again.');
      banner.className = 'banner ok';
      bannerTimer = window.setTimeout(() => show(banner, false), 1500);
    }
    return;
  }
  bannerTimer = window.setTimeout(() => {
    setText(banner, state === 'connecting' ? 'Connecting to the server…' : 'Connection lost — reconnecting…');
    banner.className = 'banner';
    show(banner, true);
  }, 800);
}
for (const link of links) link.onConnection(connectionChanged);

unlockSoundOnGesture();

let current: { route: Route; page: Page } | null = null;

start((url) => {
  const route = parse(url);
  if (current && samePage(current.route, route) && current.page.update) {
    current.page.update(url);
    return;
  }
  current?.page.dispose();
  window.scrollTo(0, 0);
  const ctx: PageContext = { root: main, route, url };
  let page: Page;
  switch (route.page) {
    case 'lobby':
      page = lobbyPage(ctx);
      break;
    case 'host':
      page = hostPage(ctx);
      break;
    case 'lesson':
      page = lazyPage(ctx, () => import('./pages/lesson.js').then((m) => m.lessonPage));
      break;
    case 'watch':
      page = watchPage({ ...ctx, route });
      break;
    case 'play':
      page = playPage({ ...ctx, route });
      break;
    case 'console':
      page = consolePage({ ...ctx, route });
      break;
    case 'missing':
      page = missingPage(main);
      break;
    default: {
      const unknown: never = route;
      throw new Error(`no page for ${JSON.stringify(unknown)}`);
    }
  }
  current = { route, page };
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.site-nav a')) {
    a.classList.toggle('current', a.pathname === url.pathname);
  }
});
