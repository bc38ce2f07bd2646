/**
 * The spectators' feed: a plain WebSocket at FEED_PATH carrying what the watch page reads, and
 * nothing else. Its commands and broadcasts are socket.io's of the same names (protocol.ts), with
 * the same payload schemas, answers and error codes; the frames around them are these.
 */
import { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from './protocol.js';
import type { Result } from './errors.js';

export const FEED_PATH = '/feed';

/** What a spectator may ask: watch the exhibition, open a board, follow the timeline, read and write the chat. */
export const feedCommands = ['exhibition:watch', 'exhibition:unwatch', 'board:open', 'board:close', 'timeline:watch', 'chat:watch', 'chat:send'] as const;
export type FeedCommand = (typeof feedCommands)[number] & keyof ClientToServerEvents;

/** A command: `n` numbers it, and comes back on its answer. */
export const feedRequest = z.object({ n: z.number().int().min(0).max(2 ** 31), command: z.string().max(64), payload: z.unknown() }).strict();
export type FeedRequest<C extends FeedCommand = FeedCommand> = { n: number; command: C; payload: Parameters<ClientToServerEvents[C]>[0] };

/** The server's frames: the answer to command `n`, or a broadcast as socket.io sends it. */
export type FeedAnswer = { n: number; result: Result<object> };
export type FeedBroadcast<E extends keyof ServerToClientEvents = keyof ServerToClientEvents> = { event: E; msg: Parameters<ServerToClientEvents[E]>[0] };
export type FeedFrame = FeedAnswer | FeedBroadcast;
