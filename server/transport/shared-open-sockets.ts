import type { Logger } from '../log.js';
import type { SharedRedis } from '../redis.js';

/** A process that has not said it is alive for this long no longer counts: it died with its sockets. */
const ALIVE_MS = 15_000;
const HEARTBEAT_MS = 5_000;

// sums the other live processes' counts for one address, forgetting those of dead processes
const ELSEWHERE = `
local total = 0
local counts = redis.call('HGETALL', KEYS[1])
for i = 1, #counts, 2 do
  if counts[i] ~= ARGV[2] then
    if redis.call('EXISTS', ARGV[1] .. counts[i]) == 1 then total = total + tonumber(counts[i + 1])
    else redis.call('HDEL', KEYS[1], counts[i]) end
  end
end
return total`;

/**
 * Open sockets per address over every process that shares Redis: a hash per address with a
 * field per process, holding that process's count, and a key per process that says it is alive.
 */
export class SharedOpenSockets {
  private heartbeat: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly redis: SharedRedis,
    private readonly log: Logger,
  ) {}

  start(): void {
    const beat = () => this.settle(this.redis.client.set(this.alive(this.redis.processId), '1', 'PX', ALIVE_MS));
    beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** The sockets that other live processes hold from `address`. */
  async elsewhere(address: string): Promise<number> {
    const total = await this.redis.client.eval(ELSEWHERE, 1, this.key(address), this.alive(''), this.redis.processId);
    return Number(total);
  }

  /** This process now holds `count` sockets from `address`. */
  changed(address: string, count: number): void {
    const client = this.redis.client;
    this.settle(count > 0 ? client.hset(this.key(address), this.redis.processId, count) : client.hdel(this.key(address), this.redis.processId));
  }

  /** This process's sockets stop counting at once, not when its heartbeat would have lapsed. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.client.del(this.alive(this.redis.processId)).catch(() => undefined);
  }

  private key(address: string): string {
    return `${this.redis.prefix}open:${address}`;
  }

  private alive(processId: string): string {
    return `${this.redis.prefix}alive:${processId}`;
  }

  /** A lost write costs accuracy, not service: said once per outage. */
  private settle(write: Promise<unknown>): void {
    write.then(
      () => (this.failing = false),
      (error: unknown) => {
        if (!this.failing) this.log.warn({ err: error }, 'open sockets could not be shared through Redis');
        this.failing = true;
      },
    );
  }
}
