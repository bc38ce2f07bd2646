import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ExhibitionConfigPatch } from '../../shared/config.js';
import type { Color } from '../../shared/domain.js';
import { type Failure, fail, type Result } from '../../shared/errors.js';
import type { Directory } from '../rooms/directory.js';
import type { Room } from '../rooms/room.js';
import type { Logger } from '../log.js';
import type { SharedRedis } from '../redis.js';

/**
 * What a process may ask of an exhibition's room wherever it is served: each takes the room and
 * the arguments the asking process validated from its client, and answers as the room does.
 */
const ops = {
  snapshot: (r: Room, _: {}) => ({ ok: true as const, snapshot: r.snapshot() }),
  detail: (r: Room, { table }: { table: number }) => {
    const board = r.detail(table);
    return board ? { ok: true as const, board } : fail('NOT_FOUND', `There is no board ${table}.`);
  },
  timeline: (r: Room, _: {}) => ({ ok: true as const, timeline: r.timeline() }),
  takeSeat: (r: Room, a: { name: string; address: string; color: Color | null }) => r.takeSeat(a.name, a.address, a.color),
  claimSeat: (r: Room, { token }: { token: string }) => r.claimSeat(token),
  move: (r: Room, a: { token: string; table: number; ply: number; uci: string }) => r.move(a.token, a.table, a.ply, a.uci),
  resign: (r: Room, a: { token: string; table: number }) => r.resign(a.token, a.table),
  offerDraw: (r: Room, a: { token: string; table: number }) => r.offerDraw(a.token, a.table),
  hostWatch: (r: Room, { hostKey }: { hostKey: string }) =>
    r.isHost(hostKey) ? { ok: true as const, snapshot: r.snapshot(), seats: r.seats() } : fail('FORBIDDEN', 'That is not this exhibition’s host key.'),
  start: (r: Room, { hostKey }: { hostKey: string }) => r.start(hostKey),
  pause: (r: Room, { hostKey }: { hostKey: string }) => r.pause(hostKey),
  resume: (r: Room, { hostKey }: { hostKey: string }) => r.resume(hostKey),
  end: (r: Room, { hostKey }: { hostKey: string }) => r.end(hostKey),
  kick: (r: Room, a: { hostKey: string; table: number }) => r.kick(a.hostKey, a.table),
  kickMany: (r: Room, a: { hostKey: string; tables: number[] }) => r.kickMany(a.hostKey, a.tables),
  configure: (r: Room, a: { hostKey: string; config: ExhibitionConfigPatch }) => r.configure(a.hostKey, a.config),
};

/** Who came or went: a spectator, the host, or the player of a table. */
export type Presence = 'spectator' | 'host' | number;
/** Counts a presence change where the exhibition is served, and tells whom it concerns. */
export type PresenceHandler = (room: Room, who: Presence, delta: 1 | -1) => void;

export type OpName = keyof typeof ops;
type Ops = typeof ops;
export type OpArgs<K extends OpName> = Parameters<Ops[K]>[1];
export type OpAnswer<K extends OpName> = Awaited<ReturnType<Ops[K]>>;

/** How long a process waits for the one serving an exhibition before telling the client to try again. */
const FORWARD_TIMEOUT_MS = 3_000;

const request = z.object({
  from: z.string().max(200),
  n: z.number().int(),
  id: z.string().max(64),
  op: z.enum(Object.keys(ops) as [OpName, ...OpName[]]),
  args: z.record(z.string(), z.unknown()),
});
const presence = z.object({
  id: z.string().max(64),
  who: z.union([z.enum(['spectator', 'host']), z.number().int()]),
  delta: z.union([z.literal(1), z.literal(-1)]),
});
const reply = z.object({ n: z.number().int(), result: z.object({ ok: z.boolean() }).passthrough() });

/**
 * Runs operations on exhibitions wherever they are served. An exhibition this process holds runs
 * here; one another process holds is asked of it over Redis (a request on one channel every process
 * hears, the answer on the asker's own channel), and its answer relayed. Only the lease holder
 * answers, so a command is applied by the one process that may write the exhibition.
 */
export class RoomAccess {
  private readonly waiting = new Map<number, (result: Result<object>) => void>();
  private next = 0;
  private presenceHandler: PresenceHandler = () => {};
  private readonly pub: Redis | null;
  /** A connection of its own: one that subscribes can do nothing else. */
  private readonly sub: Redis | null;
  private readonly channels: { requests: string; presence: string; replies: (process: string) => string };

  constructor(
    private readonly rooms: Directory,
    private readonly log: Logger,
    redis?: SharedRedis,
  ) {
    this.pub = redis?.client ?? null;
    this.sub = redis?.client.duplicate() ?? null;
    const prefix = redis?.prefix ?? '';
    this.channels = {
      requests: `${prefix}forward`,
      presence: `${prefix}presence`,
      replies: (process) => `${prefix}forward:reply:${process}`,
    };
  }

  /** Listens for other processes' requests; with no Redis, every exhibition is this process's. */
  async start(): Promise<void> {
    if (!this.sub) return;
    this.sub.on('error', (error: Error) => this.log.warn({ err: error }, 'Redis connection for forwarded commands failed; retrying'));
    this.sub.on('message', (channel: string, message: string) => void this.heard(channel, message));
    await this.sub.subscribe(this.channels.requests, this.channels.presence, this.channels.replies(this.rooms.owner));
  }

  onPresence(handler: PresenceHandler): void {
    this.presenceHandler = handler;
  }

  /** The lobby: the exhibitions served here and those the others serve. */
  lobby(cursor?: string) {
    return this.rooms.lobby(cursor);
  }

  /** `op` on exhibition `id`, wherever it is served. */
  async run<K extends OpName>(id: string, op: K, args: OpArgs<K>): Promise<OpAnswer<K> | Failure> {
    const located = await this.rooms.locate(id);
    if (!located.ok) return located;
    if ('room' in located) return apply(located.room, op, args);
    // the serving process answers as its room did, with the same op
    return (await this.ask(id, op, args)) as OpAnswer<K> | Failure;
  }

  /** Tells the process serving `id` who came or went, without waiting. */
  present(id: string, who: Presence, delta: 1 | -1): void {
    const room = this.rooms.get(id);
    if (room) return this.presenceHandler(room, who, delta);
    if (this.pub) this.publish(this.channels.presence, { id, who, delta }).catch(() => {});
  }

  async close(): Promise<void> {
    for (const done of this.waiting.values()) done(fail('SERVER_BUSY', 'The server is shutting down.'));
    this.waiting.clear();
    await this.sub?.quit().catch(() => this.sub?.disconnect());
  }

  private ask<K extends OpName>(id: string, op: K, args: OpArgs<K>): Promise<Result<object>> {
    if (!this.pub) return Promise.resolve(fail('NOT_FOUND', 'No such exhibition.'));
    const n = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(n);
        // its process may have died: another takes it over within seconds
        resolve(fail('SERVER_BUSY', 'This exhibition is moving to another server; try again in a moment.'));
      }, FORWARD_TIMEOUT_MS);
      this.waiting.set(n, (result) => {
        clearTimeout(timer);
        this.waiting.delete(n);
        resolve(result);
      });
      this.publish(this.channels.requests, { from: this.rooms.owner, n, id, op, args }).catch(() => this.waiting.get(n)?.(fail('SERVER_BUSY', 'Redis did not take the request.')));
    });
  }

  private async heard(channel: string, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (channel === this.channels.requests) return this.serve(message);
    if (channel === this.channels.presence) {
      const told = presence.safeParse(message);
      const room = told.success ? this.rooms.held(told.data.id) : undefined;
      if (told.success && room) this.presenceHandler(room, told.data.who, told.data.delta);
      return;
    }
    const answer = reply.safeParse(message);
    if (answer.success) this.waiting.get(answer.data.n)?.(answer.data.result as Result<object>);
  }

  /** Another process's request: answered only when the exhibition is served here. */
  private async serve(message: unknown): Promise<void> {
    const asked = request.safeParse(message);
    if (!asked.success || asked.data.from === this.rooms.owner) return;
    const { from, n, id, op, args } = asked.data;
    const room = this.rooms.held(id);
    if (!room) return;
    let result: Result<object>;
    try {
      // the asking process validated these from its client, with the same schemas as here
      result = await apply(room, op, args as OpArgs<typeof op>);
    } catch (error) {
      this.log.error({ err: error, exhibition: id, op }, 'a forwarded command failed');
      result = fail('INTERNAL', 'Something went wrong on the server.');
    }
    await this.publish(this.channels.replies(from), { n, result }).catch(() => {});
  }

  private async publish(channel: string, message: object): Promise<void> {
    await this.pub!.publish(channel, JSON.stringify(message));
  }
}

function apply<K extends OpName>(room: Room, op: K, args: OpArgs<K>): Promise<OpAnswer<K>> {
  const run = ops[op] as (r: Room, a: OpArgs<K>) => OpAnswer<K> | Promise<OpAnswer<K>>;
  return Promise.resolve(run(room, args));
}
