import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { SharedRedis } from '../redis.js';
import { exhibitionOf } from './topics.js';

const NEWLINE = 0x0a;

/** This process listening to one exhibition's channel. */
interface Listening {
  /** Redis has the subscription: the publishes it takes from now on reach this process. */
  subscribed: boolean;
  settled: Promise<void>;
}

/**
 * The feed's broadcasts between processes, on a channel per exhibition: a process listens on an
 * exhibition's channel only while spectators of its own follow that exhibition, so a broadcast
 * reaches only the processes that have spectators of it. The process that serves an exhibition
 * publishes each broadcast once, as it was serialised for its own spectators; each listening
 * process delivers it to its own followers of the topics named. A message is the publisher's id,
 * the topics, and the frame, a line each: the frame is passed on as it came, never parsed.
 *
 * When nobody else listens (PUBLISH says no other process received it), the serving process stops publishing
 * that exhibition's broadcasts until another process asks it something about the exhibition (or
 * it takes the exhibition over): a process listens before it asks for the state its spectators
 * start from, so it hears every broadcast after that state.
 */
export class FeedRelay {
  /** A connection of its own: one that subscribes can do nothing else. */
  private readonly sub: Redis;
  private deliver: (topics: string[], frame: Buffer) => void = () => {};
  /** The exhibitions listened to: each settled, and marked, once Redis has the subscription. */
  private readonly listening = new Map<string, Listening>();
  /** Exhibitions served here whose broadcasts no other process heard lately: not published. */
  private readonly unheard = new Set<string>();
  /** Counts `mayBeHeard`: a "nobody heard" older than the last one is not believed. */
  private asked = 0;
  /** Broadcasts published, and heard from other processes: for the metrics. */
  published = 0;
  received = 0;

  constructor(
    private readonly redis: SharedRedis,
    private readonly log: Logger,
    /** Whether `id` is served here, with every other process asking it when it starts to listen. */
    private readonly servedHere: (id: string) => boolean,
  ) {
    this.sub = redis.client.duplicate();
  }

  onBroadcast(deliver: (topics: string[], frame: Buffer) => void): void {
    this.deliver = deliver;
  }

  start(): void {
    this.sub.on('error', (error: Error) => this.log.warn({ err: error }, 'Redis connection for the feed failed; retrying'));
    this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.heard(message));
  }

  /** Spectators here follow exhibition `id`: settles once its broadcasts reach this process. */
  listen(id: string): Promise<void> {
    let listening = this.listening.get(id);
    if (!listening) {
      const entry: Listening = { subscribed: false, settled: Promise.resolve() };
      entry.settled = this.sub.subscribe(this.channel(id)).then(
        () => void (entry.subscribed = true),
        (error: unknown) => this.log.warn({ err: error, exhibition: id }, 'the feed could not listen to an exhibition of another process'),
      );
      this.listening.set(id, (listening = entry));
    }
    return listening.settled;
  }

  /** No spectator here follows exhibition `id` any more. */
  unlisten(id: string): void {
    if (!this.listening.delete(id)) return;
    this.sub.unsubscribe(this.channel(id)).catch(() => undefined);
  }

  /** Another process may listen to exhibition `id` now: it asked about it, or this process just took it over. */
  mayBeHeard(id: string): void {
    this.asked++;
    this.unheard.delete(id);
  }

  /** Whether a broadcast to `topics` is published: another process may have spectators of it. */
  wanted(topics: string[]): boolean {
    const id = exhibitionOf(topics[0]);
    return id !== undefined && !(this.unheard.has(id) && this.servedHere(id));
  }

  publish(topics: string[], frame: Buffer): void {
    if (!this.wanted(topics)) return;
    const id = exhibitionOf(topics[0])!;
    const head = Buffer.from(`${this.redis.processId}\n${topics.join(' ')}\n`);
    const askedBefore = this.asked;
    // this process among the receivers, when it surely was: subscribed before, still subscribed after
    const self = this.listening.get(id);
    const selfSubscribed = self?.subscribed === true ? self : undefined;
    this.published++;
    this.redis.client.publish(this.channel(id), Buffer.concat([head, frame])).then(
      (receivers) => {
        const others = receivers - (selfSubscribed && this.listening.get(id) === selfSubscribed ? 1 : 0);
        if (others === 0 && this.asked === askedBefore && this.servedHere(id)) this.markUnheard(id);
      },
      (error: unknown) => this.log.warn({ err: error }, 'a broadcast to the other processes’ spectators was lost'),
    );
  }

  async close(): Promise<void> {
    await this.sub.quit().catch(() => this.sub.disconnect());
  }

  private markUnheard(id: string): void {
    // exhibitions no longer served here (ended, or taken over elsewhere) go as another comes
    for (const other of this.unheard) if (!this.servedHere(other)) this.unheard.delete(other);
    this.unheard.add(id);
  }

  private channel(id: string): string {
    return `${this.redis.prefix}feed:${id}`;
  }

  private heard(message: Buffer): void {
    const first = message.indexOf(NEWLINE);
    const second = message.indexOf(NEWLINE, first + 1);
    if (first < 0 || second < 0) return;
    if (message.toString('utf8', 0, first) === this.redis.processId) return; // delivered here already
    this.received++;
    this.deliver(message.toString('utf8', first + 1, second).split(' '), message.subarray(second + 1));
  }
}
