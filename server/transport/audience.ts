import type { ServerToClientEvents } from '../../shared/protocol.js';

export type BroadcastEvent = keyof ServerToClientEvents;
export type BroadcastOf<E extends BroadcastEvent> = Parameters<ServerToClientEvents[E]>[0];

/** Those a broadcast reaches: everyone in the rooms (topics) named, on one transport or several. */
export interface Audience {
  emit<E extends BroadcastEvent>(to: string | string[], event: E, msg: BroadcastOf<E>): void;
}

/** One emit that reaches every audience given: the spectators' feed and socket.io's rooms alike. */
export function together(...audiences: Audience[]): Audience {
  return {
    emit(to, event, msg) {
      for (const audience of audiences) audience.emit(to, event, msg);
    },
  };
}
