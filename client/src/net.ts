/** The typed socket.io client: one connection for the whole app, commands answered through acks. */
import { io, type Socket } from 'socket.io-client';
import type { ErrorCode } from '../../shared/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Command = keyof ClientToServerEvents;
export type PayloadOf<E extends Command> = Parameters<ClientToServerEvents[E]>[0];
type AnswerOf<E extends Command> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Errors the browser itself can meet on top of the server's. */
export type ProblemCode = ErrorCode | 'TIMEOUT' | 'NETWORK';
export interface Problem {
  code: ProblemCode;
  message: string;
}
export type Reply<E extends Command> = Exclude<AnswerOf<E>, { ok: false }> | { ok: false; error: Problem };

export type Connection = 'connecting' | 'connected' | 'reconnecting';

const ANSWER_TIMEOUT_MS = 10_000;

let socket: Client | null = null;
let connection: Connection = 'connecting';
const connectionListeners = new Set<(c: Connection) => void>();

function client(): Client {
  if (socket) return socket;
  const s: Client = io({
    // websocket first (one frame per message); long-polling only when websockets are blocked
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  s.on('connect', () => setConnection('connected'));
  s.on('disconnect', () => setConnection('reconnecting'));
  s.io.on('reconnect_attempt', () => setConnection('reconnecting'));
  socket = s;
  return s;
}

function setConnection(next: Connection): void {
  if (next === connection) return;
  connection = next;
  for (const listener of connectionListeners) listener(next);
}

export function connectionState(): Connection {
  client();
  return connection;
}

export function onConnection(listener: (c: Connection) => void): () => void {
  client();
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

/**
 * Runs `subscribe` now if connected, and again after every reconnection: the place to (re)join
 * rooms and fetch fresh state, so nothing missed while offline stays missing.
 */
export function whenConnected(subscribe: () => void): () => void {
  const s = client();
  if (s.connected) subscribe();
  s.on('connect', subscribe);
  return () => void s.off('connect', subscribe);
}

/** Sends a command and resolves with the server's answer, or a TIMEOUT problem. Never rejects. */
export function request<E extends Command>(event: E, payload: PayloadOf<E>): Promise<Reply<E>> {
  const s = client();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, error: { code: 'TIMEOUT', message: 'The server did not answer in time.' } });
    }, ANSWER_TIMEOUT_MS);
    const ack = (answer: AnswerOf<E>) => {
      clearTimeout(timer);
      resolve(answer as Reply<E>);
    };
    const emit = s.emit as unknown as (event: E, payload: PayloadOf<E>, ack: (answer: AnswerOf<E>) => void) => void;
    emit.call(s, event, payload, ack);
  });
}

/** Listens to one broadcast; returns the function that stops listening. */
export function listen<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
  const s = client();
  const on = s.on as unknown as (event: E, handler: ServerToClientEvents[E]) => void;
  const off = s.off as unknown as (event: E, handler: ServerToClientEvents[E]) => void;
  on.call(s, event, handler);
  return () => off.call(s, event, handler);
}
