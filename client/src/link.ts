/**
 * A connection to the server as the pages use it, whichever transport carries it: socket.io for
 * players, hosts and the lobby (net.ts), the spectators' feed for the watch page (feed.ts). Each
 * opens when a page first needs it and closes once no page has needed it for a moment.
 */
import type { ErrorCode } from '../../shared/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';

export type Command = keyof ClientToServerEvents;
export type PayloadOf<E extends Command> = Parameters<ClientToServerEvents[E]>[0];
export type AnswerOf<E extends Command> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Errors the browser itself can meet on top of the server's. */
export type ProblemCode = ErrorCode | 'TIMEOUT' | 'NETWORK';
export interface Problem {
  code: ProblemCode;
  message: string;
}
export type Reply<E extends Command> = Exclude<AnswerOf<E>, { ok: false }> | { ok: false; error: Problem };

/** `idle`: closed, as no page needs it. */
export type Connection = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export const ANSWER_TIMEOUT_MS = 10_000;
export const timedOut = { ok: false as const, error: { code: 'TIMEOUT' as const, message: 'The server did not answer in time.' } };
/** How long a connection no page needs stays open: a page that follows another takes it over. */
const IDLE_MS = 3_000;

/** What a page may do over a connection carrying the commands `C`. */
export interface Link<C extends Command = Command> {
  /** Sends a command and resolves with the server's answer, or a TIMEOUT or NETWORK problem. Never rejects. */
  request<E extends C>(event: E, payload: PayloadOf<E>): Promise<Reply<E>>;
  /** Listens to one broadcast; returns the function that stops listening. */
  listen<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void;
  /**
   * Runs `subscribe` now if connected, and again after every reconnection: the place to (re)join
   * rooms and fetch fresh state, so nothing missed while offline stays missing.
   */
  whenConnected(subscribe: () => void): () => void;
  onConnection(listener: (c: Connection) => void): () => void;
  connectionState(): Connection;
}

/** A link's state and its listeners, and who holds it open: what every transport shares. */
export class LinkState {
  private state: Connection = 'idle';
  private readonly listeners = new Set<(c: Connection) => void>();
  private holders = 0;
  private idle = 0;

  constructor(
    private readonly open: () => void,
    private readonly close: () => void,
  ) {}

  get current(): Connection {
    return this.state;
  }

  set(next: Connection): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  onChange(listener: (c: Connection) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the connection if it is not, and keeps it open until the returned function is called. */
  hold(): () => void {
    this.holders++;
    clearTimeout(this.idle);
    if (this.state === 'idle') {
      this.set('connecting');
      this.open();
    }
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--this.holders > 0) return;
      this.idle = setTimeout(() => {
        if (this.holders > 0) return;
        this.close();
        this.set('idle');
      }, IDLE_MS) as unknown as number;
    };
  }
}
