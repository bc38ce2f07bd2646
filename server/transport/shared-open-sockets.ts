import type { Logger } from '../log.js';
import type { SharedRedis } from '../redis.js';

/** A process that has not said it is alive for this long no longer counts: it died with its sockets. */
const ALIVE_MS = 15_000;
const HEARTBEAT_MS = 5_000;

// Takes a place for one more socket from an address when every live process together holds fewer
// than the cap, forgetting the counts of dead processes; one script, so no other process counts in
// between. KEYS[1] the address's hash; ARGV: the alive keys' prefix, this process, its count with
// the new socket, the cap.
const RESERVE = `
local total = tonumber(ARGV[3])
local counts = redis.call('HGETALL', KEYS[1])
for i = 1, #counts, 2 do
  if counts[i] ~= ARGV[2] then
    if redis.call('EXISTS', ARGV[1] .. counts[i]) == 1 then total = total + tonumber(counts[i + 1])
    else redis.call('HDEL', KEYS[1], counts[i]) end
  end
end
if total > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1`;

/**
 * Open sockets per address over every process that shares Redis: a hash per address with a
 * field per process, holding that process's count, and a key per process that says it is alive.
 * A process's changes for one address are made one after another, each writing its whole count:
 * the field is then always the count this process holds. While Redis is away a process counts
 * alone, and the heartbeat that finds Redis back writes all its counts again.
 */
export class SharedOpenSockets {
  private heartbeat: NodeJS.Timeout | undefined;
  private failing = false;
  /** Sockets this process holds, per address (those let in while Redis was away too). */
  private readonly held = new Map<string, number>();
  /** The last change made or under way for each address: the next one waits for it. */
  private readonly turns = new Map<string, Promise<unknown>>();
  /** Addresses whose count may be wrong in Redis: written again by the next heartbeat that reaches it. */
  private readonly unsure = new Set<string>();

  constructor(
    private readonly redis: SharedRedis,
    private readonly log: Logger,
  ) {}

  start(): void {
    const beat = () => {
      this.redis.client.set(this.alive(this.redis.processId), '1', 'PX', ALIVE_MS).then(
        () => {
          // back after an outage: every count is written again (Redis may have lost them)
          if (this.failing) for (const address of this.held.keys()) this.unsure.add(address);
          this.failing = false;
          for (const address of this.unsure) void this.inTurn(address, () => this.write(address));
        },
        (error: unknown) => this.failed(error),
      );
    };
    beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Takes a place for one more socket from `address` when all processes together hold fewer than
   * `cap`. Redis unreachable: the place is taken (this process's own count is then the cap) and
   * counted in Redis once it is back; while it is known to be away, it is not asked.
   */
  reserve(address: string, cap: number): Promise<boolean> {
    return this.inTurn(address, async () => {
      const count = (this.held.get(address) ?? 0) + 1;
      if (!(await this.placeTaken(address, count, cap))) return false;
      this.held.set(address, count);
      return true;
    });
  }

  /** A socket from `address` this process held is gone. */
  release(address: string): void {
    void this.inTurn(address, () => {
      const count = (this.held.get(address) ?? 1) - 1;
      if (count > 0) this.held.set(address, count);
      else this.held.delete(address);
      return this.write(address);
    });
  }

  /** This process's sockets stop counting at once, not when its heartbeat would have lapsed. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.client.del(this.alive(this.redis.processId)).catch(() => undefined);
  }

  /** Whether Redis lets this process hold `count` sockets from `address`; yes when Redis is away. */
  private async placeTaken(address: string, count: number, cap: number): Promise<boolean> {
    if (this.failing) {
      this.unsure.add(address);
      return true;
    }
    try {
      const taken = await this.redis.client.eval(RESERVE, 1, this.key(address), this.alive(''), this.redis.processId, count, cap);
      return Number(taken) === 1;
    } catch (error) {
      this.failed(error);
      this.unsure.add(address);
      return true;
    }
  }

  /** Writes this process's count for `address` as it is now (with the heartbeat while Redis is away). */
  private async write(address: string): Promise<void> {
    const client = this.redis.client;
    const count = this.held.get(address) ?? 0;
    if (this.failing) return void this.unsure.add(address);
    try {
      await (count > 0 ? client.hset(this.key(address), this.redis.processId, count) : client.hdel(this.key(address), this.redis.processId));
      this.unsure.delete(address);
    } catch (error) {
      this.failed(error);
      this.unsure.add(address);
    }
  }

  /** Runs `change` once every change for `address` before it is done. */
  private inTurn<T>(address: string, change: () => Promise<T>): Promise<T> {
    const done = (this.turns.get(address) ?? Promise.resolve()).then(change);
    const last = done.catch(() => undefined);
    this.turns.set(address, last);
    void last.then(() => {
      if (this.turns.get(address) === last) this.turns.delete(address);
    });
    return done;
  }

  private key(address: string): string {
    return `${this.redis.prefix}open:${address}`;
  }

  private alive(processId: string): string {
    return `${this.redis.prefix}alive:${processId}`;
  }

  /** A lost write costs accuracy, not service: said once per outage, which lasts until a heartbeat reaches Redis. */
  private failed(error: unknown): void {
    if (!this.failing) this.log.warn({ err: error }, 'open sockets could not be shared through Redis');
    this.failing = true;
  }
}
