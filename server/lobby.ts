import type { ExhibitionSummary } from '../shared/domain.js';
import type { LobbyPage } from '../shared/protocol.js';

/** The most exhibitions one answer carries; the cursor fetches the rest. */
export const LOBBY_PAGE_SIZE = 50;

/**
 * The lobby's order: open exhibitions first, then those being played, then the results; newest
 * first in each. A cursor is the sort key of the last item sent, so pages
 * neither repeat nor skip an exhibition when others are created between two requests.
 */
function key(x: ExhibitionSummary): [number, number, string] {
  const group = x.status === 'open' ? 0 : x.status === 'running' || x.status === 'paused' ? 1 : 2;
  return [group, -x.createdAt, x.id];
}

function compare(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

const encode = (k: [number, number, string]) => Buffer.from(JSON.stringify(k)).toString('base64url');

function decode(cursor: string): [number, number, string] | null {
  try {
    const k: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(k) && k.length === 3 && typeof k[0] === 'number' && typeof k[1] === 'number' && typeof k[2] === 'string') {
      return [k[0], k[1], k[2]];
    }
  } catch {
    // an unreadable cursor starts from the beginning
  }
  return null;
}

/** One page of `all` in lobby order, after `cursor` when given. */
export function lobbyPage(all: ExhibitionSummary[], cursor?: string, size = LOBBY_PAGE_SIZE): LobbyPage {
  const after = cursor ? decode(cursor) : null;
  const sorted = all.map((x) => ({ x, k: key(x) })).sort((a, b) => compare(a.k, b.k));
  const rest = after ? sorted.filter((e) => compare(e.k, after) > 0) : sorted;
  const page = rest.slice(0, size);
  return {
    exhibitions: page.map((e) => e.x),
    cursor: rest.length > size ? encode(page[page.length - 1].k) : null,
  };
}
