import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { SharedRedis } from '../redis.js';

const NEWLINE = 0x0a;

/**
 * The feed's broadcasts between processes: the process that serves an exhibition publishes each
 * broadcast once, as it was serialised for its own spectators, on one channel every process hears;
 * each delivers it to its own followers of the topics named. A message is the publisher's id, the
 * topics, and the frame, a line each: the frame is passed on as it came, never parsed.
 */
export class FeedRelay {
  private readonly channel: string;
  /** A connection of its own: one that subscribes can do nothing else. */
  private readonly sub: Redis;
  private deliver: (topics: string[], frame: Buffer) => void = () => {};

  constructor(
    private readonly redis: SharedRedis,
    private readonly log: Logger,
  ) {
    this.channel = `${redis.prefix}feed`;
    this.sub = redis.client.duplicate();
  }

  onBroadcast(deliver: (topics: string[], frame: Buffer) => void): void {
    this.deliver = deliver;
  }

  async start(): Promise<void> {
    this.sub.on('error', (error: Error) => this.log.warn({ err: error }, 'Redis connection for the feed failed; retrying'));
    this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.heard(message));
    await this.sub.subscribe(this.channel);
  }

  publish(topics: string[], frame: Buffer): void {
    const head = Buffer.from(`${this.redis.processId}\n${topics.join(' ')}\n`);
    this.redis.client.publish(this.channel, Buffer.concat([head, frame])).catch((error: unknown) => {
      this.log.warn({ err: error }, 'a broadcast to the other processes’ spectators was lost');
    });
  }

  async close(): Promise<void> {
    await this.sub.quit().catch(() => this.sub.disconnect());
  }

  private heard(message: Buffer): void {
    const first = message.indexOf(NEWLINE);
    const second = message.indexOf(NEWLINE, first + 1);
    if (first < 0 || second < 0) return;
    if (message.toString('utf8', 0, first) === this.redis.processId) return; // delivered here already
    this.deliver(message.toString('utf8', first + 1, second).split(' '), message.subarray(second + 1));
  }
}
