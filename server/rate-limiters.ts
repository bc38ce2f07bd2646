import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRedis } from './redis.js';

/** Makes a limiter of `points` a `durationSeconds` window per key, named for what it limits. */
export type RateLimiters = (name: string, points: number, durationSeconds: number) => RateLimiterAbstract;

/**
 * Limits kept in this process alone, or in Redis when processes share it, so that an address
 * spreading its requests over every process still has one budget. Should Redis fail, each
 * process falls back to its own memory rather than refusing everyone.
 */
export function rateLimiters(redis: SharedRedis | undefined): RateLimiters {
  return (name, points, duration) => {
    const alone = new RateLimiterMemory({ points, duration });
    if (!redis) return alone;
    return new RateLimiterRedis({ storeClient: redis.client, keyPrefix: `${redis.prefix}limit:${name}`, points, duration, insuranceLimiter: alone });
  };
}
