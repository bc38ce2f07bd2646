/** The watch page's feed link (client/src/feed.ts) in Node, on `ws`: tests talk to the server as the page does. */
import WebSocket from 'ws';
import { FeedLink } from '../client/src/feed.js';
import { FEED_PATH } from '../shared/feed.js';

export const feedUrl = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}${FEED_PATH}`;

/** A feed link to the server at `httpUrl`; `sockets` holds each WebSocket it opened, the last one open. */
export function feedLink(httpUrl: string): { link: FeedLink; sockets: WebSocket[] } {
  const sockets: WebSocket[] = [];
  const link = new FeedLink(feedUrl(httpUrl), (url) => {
    const socket = new WebSocket(url);
    sockets.push(socket);
    return socket as unknown as globalThis.WebSocket;
  });
  return { link, sockets };
}
