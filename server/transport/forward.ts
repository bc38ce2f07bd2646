import type { Redis } from 'ioredis';
import type { ExhibitionConfigPatch } from '../../shared/config.js';
import type { Color } from '../../shared/domain.js';
import { type Failure, fail, type Result } from '../../shared/errors.js';
import type { Directory } from '../rooms/directory.js';
import type { Room } from '../rooms/room.js';
import type { Logger } from '../log.js';
import type { SharedRedis } from '../redis.js';
import { exhibitionTaken, forwardedReply, forwardedRequest, type OpName, type Presence, presenceChange } from '../../shared/forwarding.js';
import type { ChatSend, HostChatDelete, HostChatMode, HostChatMute } from '../../shared/schemas.js';
import type { CandidateDesk } from './candidates.js';
import type { ChatDesk } from './chat.js';

/** What the serving process keeps beside each room: its chat, and the visitors waiting for a seat. */
export interface Desks {
  chat: ChatDesk;
  candidates: CandidateDesk;
}

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
  chatRead: (r: Room, _: {}, d: Desks) => d.chat.read(r),
  chatSend: (r: Room, a: ChatSend, d: Desks) => d.chat.send(r, a),
  chatDelete: (r: Room, a: Omit<HostChatDelete, 'id'>, d: Desks) => d.chat.remove(r, a),
  chatMute: (r: Room, a: Omit<HostChatMute, 'id'>, d: Desks) => d.chat.mute(r, a),
  chatMode: (r: Room, a: Omit<HostChatMode, 'id'>, d: Desks) => d.chat.setMode(r, a),
  seatRequest: (r: Room, a: { name: string; color: Color | null; address: string; socket: string; candidate?: string }, d: Desks) => d.candidates.request(r, a),
  seatWithdraw: (r: Room, a: { candidate: string }, d: Desks) => d.candidates.withdraw(r, a),
  candidates: (r: Room, a: { hostKey: string }, d: Desks) => d.candidates.list(r, a),
  accept: (r: Room, a: { hostKey: string; candidate: string }, d: Desks) => d.candidates.accept(r, a),
  decline: (r: Room, a: { hostKey: string; candidate: string }, d: Desks) => d.candidates.decline(r, a),
} satisfies Record<OpName, (r: Room, a: never, d: Desks) => unknown>;

/** Counts a presence change where the exhibition is served, and tells whom it concerns. */
export type PresenceHandler = (room: Room, who: Presence, delta: 1 | -1) => void;

/**
 * Asked again of a new owner when the one asked died without answering: each is harmless twice (a
 * read, a claim, a move at a ply already played is answered as a duplicate). The others are
 * answered "try again", for the client to decide.
 */
const RESENDABLE = new Set<OpName>(['snapshot', 'detail', 'timeline', 'claimSeat', 'move', 'hostWatch', 'chatRead', 'candidates']);

interface Waiting {
  id: string;
  op: OpName;
  args: OpArgs<OpName>;
  message: object;
  done: (result: Result<object>) => void;
}
type Ops = typeof ops;
export type OpArgs<K extends OpName> = Parameters<Ops[K]>[1];
export type OpAnswer<K extends OpName> = Awaited<ReturnType<Ops[K]>>;

/** How long a process waits for the one serving an exhibition before telling the client to try again. */
const FORWARD_TIMEOUT_MS = 3_000;
const MOVING = 'This exhibition is moving to another server; try again in a moment.';

/**
 * Runs operations on exhibitions wherever they are served. An exhibition this process holds runs
 * here; one another process holds is asked of it over Redis (a request on one channel every process
 * hears, the answer on the asker's own channel), and its answer relayed. Only the lease holder
 * answers, so a command is applied by the one process that may write the exhibition.
 */
export class RoomAccess {
  /** Requests sent and not answered yet, by number. */
  private readonly waiting = new Map<number, Waiting>();
  private next = 0;
  private presenceHandler: PresenceHandler = () => {};
  private readonly newOwnerListeners: ((id: string) => void)[] = [];
  private forwardedListener: (id: string) => void = () => {};
  /** Set by the transport before it takes any command. */
  private desks!: Desks;
  private readonly pub: Redis | null;
  /** A connection of its own: one that subscribes can do nothing else. */
  private readonly sub: Redis | null;
  private readonly channels: { requests: string; presence: string; taken: string; replies: (process: string) => string };

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
      taken: `${prefix}taken`,
      replies: (process) => `${prefix}forward:reply:${process}`,
    };
  }

  /** Listens for other processes' requests; with no Redis, every exhibition is this process's. */
  async start(): Promise<void> {
    if (!this.sub) return;
    this.sub.on('error', (error: Error) => this.log.warn({ err: error }, 'Redis connection for forwarded commands failed; retrying'));
    this.sub.on('message', (channel: string, message: string) => void this.heard(channel, message));
    await this.sub.subscribe(this.channels.requests, this.channels.presence, this.channels.taken, this.channels.replies(this.rooms.owner));
    // requests waiting on a process that died need not wait out their time
    this.rooms.onTakeover((id) => void this.publish(this.channels.taken, { id }).catch(() => {}));
  }

  /** The chats and candidate lists this process keeps for the exhibitions it serves. */
  useDesks(desks: Desks): void {
    this.desks = desks;
  }

  onPresence(handler: PresenceHandler): void {
    this.presenceHandler = handler;
  }

  /**
   * Exhibition `id` has a new owner, heard on every process (the new owner too). It counts no one
   * yet: each process tells it again who of its own connections is there.
   */
  onNewOwner(listener: (id: string) => void): void {
    this.newOwnerListeners.push(listener);
  }

  /** Another process asks about exhibition `id`, served here: told before it is answered. */
  onForwarded(listener: (id: string) => void): void {
    this.forwardedListener = listener;
  }

  /** The lobby: the exhibitions served here and those the others serve. */
  lobby(cursor?: string) {
    return this.rooms.lobby(cursor);
  }

  /** `op` on exhibition `id`, wherever it is served. */
  async run<K extends OpName>(id: string, op: K, args: OpArgs<K>): Promise<OpAnswer<K> | Failure> {
    const located = await this.rooms.locate(id);
    if (!located.ok) return located;
    if ('room' in located) return apply(located.room, op, args, this.desks);
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
    for (const { done } of this.waiting.values()) done(fail('SERVER_BUSY', 'The server is shutting down.'));
    this.waiting.clear();
    await this.sub?.quit().catch(() => this.sub?.disconnect());
  }

  private ask<K extends OpName>(id: string, op: K, args: OpArgs<K>): Promise<Result<object>> {
    if (!this.pub) return Promise.resolve(fail('NOT_FOUND', 'No such exhibition.'));
    const n = this.next++;
    const message = { from: this.rooms.owner, n, id, op, args };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(n);
        // its process may have died: another takes it over within seconds
        resolve(fail('SERVER_BUSY', MOVING));
      }, FORWARD_TIMEOUT_MS);
      const done = (result: Result<object>) => {
        clearTimeout(timer);
        this.waiting.delete(n);
        resolve(result);
      };
      this.waiting.set(n, { id, op, args, message, done });
      this.publish(this.channels.requests, message).catch(() => done(fail('SERVER_BUSY', 'Redis did not take the request.')));
    });
  }

  /** Exhibition `id` has a new owner: what waits on the old one is asked again, or answered "try again". */
  private retake(id: string): void {
    const here = this.rooms.held(id);
    for (const w of this.waiting.values()) {
      if (w.id !== id) continue;
      if (!RESENDABLE.has(w.op)) w.done(fail('SERVER_BUSY', MOVING));
      // this process took it over: it answers its own clients itself
      else if (here) void this.answer(here, w.op, w.args).then(w.done);
      else this.publish(this.channels.requests, w.message).catch(() => {});
    }
  }

  private async heard(channel: string, text: string): Promise<void> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (channel === this.channels.requests) return this.serve(message);
    if (channel === this.channels.taken) {
      const taken = exhibitionTaken.safeParse(message);
      if (!taken.success) return;
      this.retake(taken.data.id);
      for (const listener of this.newOwnerListeners) listener(taken.data.id);
      return;
    }
    if (channel === this.channels.presence) {
      const told = presenceChange.safeParse(message);
      const room = told.success ? this.rooms.held(told.data.id) : undefined;
      if (told.success && room) this.presenceHandler(room, told.data.who, told.data.delta);
      return;
    }
    const answer = forwardedReply.safeParse(message);
    if (answer.success) this.waiting.get(answer.data.n)?.done(answer.data.result as Result<object>);
  }

  /** Another process's request: answered only when the exhibition is served here. */
  private async serve(message: unknown): Promise<void> {
    const asked = forwardedRequest.safeParse(message);
    if (!asked.success || asked.data.from === this.rooms.owner) return;
    const { from, n, id, op, args } = asked.data;
    const room = this.rooms.held(id);
    if (!room) return;
    this.forwardedListener(id);
    // the asking process validated these from its client, with the same schemas as here
    const result = await this.answer(room, op, args as OpArgs<typeof op>);
    await this.publish(this.channels.replies(from), { n, result }).catch(() => {});
  }

  private async answer(room: Room, op: OpName, args: OpArgs<OpName>): Promise<Result<object>> {
    try {
      return await apply(room, op, args, this.desks);
    } catch (error) {
      this.log.error({ err: error, exhibition: room.id, op }, 'a forwarded command failed');
      return fail('INTERNAL', 'Something went wrong on the server.');
    }
  }

  private async publish(channel: string, message: object): Promise<void> {
    await this.pub!.publish(channel, JSON.stringify(message));
  }
}

function apply<K extends OpName>(room: Room, op: K, args: OpArgs<K>, desks: Desks): Promise<OpAnswer<K>> {
  const run = ops[op] as (r: Room, a: OpArgs<K>, d: Desks) => OpAnswer<K> | Promise<OpAnswer<K>>;
  return Promise.resolve(run(room, args, desks));
}
