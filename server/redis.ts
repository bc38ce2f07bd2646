import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from './log.js';

/**
 * The Redis that several server processes share: broadcasts between them (socket.io's adapter),
 * rate limits, and the count of open sockets per address.
 */
export interface SharedRedis {
  client: Redis;
  /** Every key, stream and channel starts with it, so that other users of the Redis never collide. */
  prefix: string;
  /** This process among those sharing the Redis: fields it writes are its own. */
  processId: string;
  close(): Promise<void>;
}

export const DEFAULT_REDIS_PREFIX = 'simul:';

/** Connects (failing clearly when Redis does not answer); later outages are logged and retried by the client. */
export async function connectRedis(url: string, prefix: string, log: Logger): Promise<SharedRedis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) log.warn({ err: error }, 'Redis connection failed; retrying');
    reported = true;
  });
  client.on('ready', () => (reported = false));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis does not answer at ${redacted(url)}: ${(error as Error).message}`);
  }
  return {
    client,
    prefix,
    processId: randomUUID(),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** A URL fit for a log line: no password. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unreadable URL)';
  }
}
