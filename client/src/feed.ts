/**
 * The spectators' feed (shared/feed.ts): a plain WebSocket carrying the watch page's commands and
 * broadcasts, about a third of a socket.io connection's cost to the server. Reconnects by itself,
 * and then runs every `whenConnected` again: the page asks for a fresh snapshot.
 */
import { FEED_PATH, type FeedAnswer, type FeedCommand, type FeedFrame } from '../../shared/feed.js';
import type { ServerToClientEvents } from '../../shared/protocol.js';
import { ANSWER_TIMEOUT_MS, type Connection, type Link, type Problem, LinkState, type PayloadOf, type Reply, timedOut } from './link.js';

type Handler = (msg: unknown) => void;
type Answer = FeedAnswer['result'] | { ok: false; error: Problem };
/** The members of a WebSocket this uses: the browser's, or `ws`'s in Node (which has the same). */
export type Socketish = Pick<WebSocket, 'send' | 'close' | 'readyState' | 'onopen' | 'onclose' | 'onmessage' | 'onerror'>;
const OPEN = 1;
/** Reconnection: the first try soon, then twice as long each time, up to a few seconds. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 4000;
const lost = { ok: false as const, error: { code: 'NETWORK' as const, message: 'The connection was lost before the server answered.' } };

export class FeedLink implements Link<FeedCommand> {
  private socket: Socketish | null = null;
  private readonly state = new LinkState(
    () => this.open(),
    () => this.shut(),
  );
  private next = 0;
  /** Commands sent (or waiting for the connection) and not answered, by number. */
  private readonly waiting = new Map<number, { frame: string; done: (answer: Answer) => void }>();
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly subscribers = new Set<() => void>();
  private retryMs = RETRY_FIRST_MS;
  private retry = 0;

  constructor(
    private readonly url: string,
    private readonly connect: (url: string) => Socketish,
  ) {}

  request<E extends FeedCommand>(command: E, payload: PayloadOf<E>): Promise<Reply<E>> {
    const release = this.state.hold();
    const n = this.next++;
    const frame = JSON.stringify({ n, command, payload });
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(timedOut), ANSWER_TIMEOUT_MS);
      const done = (answer: Answer) => {
        clearTimeout(timer);
        this.waiting.delete(n);
        release();
        resolve(answer as Reply<E>);
      };
      this.waiting.set(n, { frame, done });
      if (this.socket?.readyState === OPEN) this.socket.send(frame);
    });
  }

  listen<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    const release = this.state.hold();
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler);
    return () => {
      set.delete(handler as Handler);
      release();
    };
  }

  whenConnected(subscribe: () => void): () => void {
    const release = this.state.hold();
    this.subscribers.add(subscribe);
    if (this.state.current === 'connected') subscribe();
    return () => {
      this.subscribers.delete(subscribe);
      release();
    };
  }

  onConnection(listener: (c: Connection) => void): () => void {
    return this.state.onChange(listener);
  }

  connectionState(): Connection {
    return this.state.current;
  }

  private open(): void {
    clearTimeout(this.retry);
    const socket = this.connect(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = RETRY_FIRST_MS;
      for (const { frame } of this.waiting.values()) socket.send(frame);
      this.state.set('connected');
      for (const subscribe of [...this.subscribers]) subscribe();
    };
    socket.onmessage = (e) => this.received(e.data);
    socket.onerror = () => {}; // a close follows
    socket.onclose = () => this.lost(socket);
  }

  /**
   * The network is gone (the browser says it is offline): a WebSocket may not notice for minutes,
   * so the connection is given up now and tried again until it is back.
   */
  dropped(): void {
    const socket = this.socket;
    if (!socket) return;
    socket.close();
    this.lost(socket);
  }

  /** The network is back: a connection waiting to be tried again is tried now. */
  online(): void {
    if (this.state.current !== 'reconnecting' || this.socket) return;
    this.retryMs = RETRY_FIRST_MS;
    this.open();
  }

  private lost(socket: Socketish): void {
    if (this.socket !== socket) return; // closed on purpose, or given up already
    this.socket = null;
    // sent and not answered: the page decides, as it does after a timeout
    for (const { done } of [...this.waiting.values()]) done(lost);
    this.state.set('reconnecting');
    this.retry = setTimeout(() => this.open(), this.retryMs) as unknown as number;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }

  private shut(): void {
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private received(data: unknown): void {
    if (typeof data !== 'string') return; // every frame is JSON text: a binary one (a Blob here) is none of ours
    let frame: FeedFrame;
    try {
      frame = JSON.parse(data) as FeedFrame;
    } catch {
      return;
    }
    if ('n' in frame) return this.waiting.get(frame.n)?.done(frame.result);
    for (const handler of this.handlers.get(frame.event) ?? []) handler(frame.msg);
  }
}

let shared: FeedLink | null = null;

/** The page's feed: one for the whole app, opened when the watch page first needs it. */
export function feedLink(): FeedLink {
  if (shared) return shared;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const link = new FeedLink(`${scheme}://${location.host}${FEED_PATH}`, (url) => new WebSocket(url));
  window.addEventListener('offline', () => link.dropped());
  window.addEventListener('online', () => link.online());
  shared = link;
  return link;
}
