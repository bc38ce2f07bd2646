import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { z } from 'zod';
import { fail, type Result } from '../../shared/errors.js';
import type { ClientToServerEvents } from '../../shared/protocol.js';
import type { Clock } from '../clock/clock.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../log.js';
import { RateLimit } from './rate-limit.js';

export type Event = keyof ClientToServerEvents;
export type PayloadOf<E extends Event> = Parameters<ClientToServerEvents[E]>[0];
export type AnswerOf<E extends Event> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** A command a connection `S` may send: its payload's schema and what answers it. */
export interface Command<S, E extends Event> {
  schema: z.ZodType<PayloadOf<E>>;
  handle: (socket: S, payload: PayloadOf<E>) => AnswerOf<E> | Promise<AnswerOf<E>>;
}
export type AnyCommand<S> = { schema: z.ZodType<unknown>; handle: (socket: S, payload: unknown) => Result<object> | Promise<Result<object>> };

/** Answers one command of one connection: the same rules whichever transport brought it. */
export type CommandRunner = <S extends object>(socket: S, address: string, event: string, command: AnyCommand<S>, payload: unknown) => Promise<Result<object>>;

/**
 * Rate limited per connection and per address (many connections from one address share one
 * budget, over every transport), the payload validated, never throws: a failure is an answer.
 */
export function commandRunner(clock: Clock, log: Logger, caps: Limits, perAddress: RateLimiterAbstract): CommandRunner {
  const limits = new WeakMap<object, RateLimit>();
  const slowDown = () => fail('RATE_LIMITED', 'Too many messages; slow down.');
  return async (socket, address, event, command, payload) => {
    let limit = limits.get(socket);
    if (!limit) limits.set(socket, (limit = new RateLimit(caps.commandsPerSecondPerSocket * 2, caps.commandsPerSecondPerSocket, clock.now())));
    if (!limit.take(clock.now())) return slowDown();
    const parsed = command.schema.safeParse(payload);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      return fail('BAD_REQUEST', detail);
    }
    try {
      await perAddress.consume(address);
    } catch {
      return slowDown();
    }
    try {
      return await command.handle(socket, parsed.data);
    } catch (error) {
      log.error({ err: error, event }, 'handler failed');
      return fail('INTERNAL', 'Something went wrong on the server.');
    }
  };
}
