/** The typed socket.io link: players, hosts and the lobby; commands answered through acks. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { ANSWER_TIMEOUT_MS, type AnswerOf, type Command, type Link, LinkState, type PayloadOf, type Reply, timedOut } from './link.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: Client | null = null;
const state = new LinkState(
  () => client().connect(),
  () => socket?.disconnect(),
);

function client(): Client {
  if (socket) return socket;
  const s: Client = io({
    autoConnect: false,
    // websocket first (one frame per message); long-polling only when websockets are blocked
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  s.on('connect', () => state.set('connected'));
  // closed on purpose (no page needs it) is not news; lost is
  s.on('disconnect', (reason) => reason !== 'io client disconnect' && state.set('reconnecting'));
  s.io.on('reconnect_attempt', () => state.set('reconnecting'));
  socket = s;
  return s;
}

export const socketLink: Link = {
  request<E extends Command>(event: E, payload: PayloadOf<E>): Promise<Reply<E>> {
    const release = state.hold();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        release();
        resolve(timedOut);
      }, ANSWER_TIMEOUT_MS);
      const ack = (answer: AnswerOf<E>) => {
        clearTimeout(timer);
        release();
        resolve(answer as Reply<E>);
      };
      const emit = client().emit as unknown as (event: E, payload: PayloadOf<E>, ack: (answer: AnswerOf<E>) => void) => void;
      emit.call(client(), event, payload, ack);
    });
  },
  listen(event, handler) {
    const release = state.hold();
    const s = client();
    const on = s.on as unknown as (event: string, handler: unknown) => void;
    const off = s.off as unknown as (event: string, handler: unknown) => void;
    on.call(s, event, handler);
    return () => {
      off.call(s, event, handler);
      release();
    };
  },
  whenConnected(subscribe) {
    const release = state.hold();
    const s = client();
    if (s.connected) subscribe();
    s.on('connect', subscribe);
    return () => {
      s.off('connect', subscribe);
      release();
    };
  },
  onConnection: (listener) => state.onChange(listener),
  connectionState: () => state.current,
};

export const { request, listen, whenConnected, onConnection, connectionState } = socketLink;
