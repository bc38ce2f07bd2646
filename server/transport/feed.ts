/**
 * The spectators' feed: a plain WebSocket (npm `ws`) at FEED_PATH carrying the watch page's
 * commands and broadcasts, and nothing else. A spectator costs its TCP socket and `ws`'s
 * WebSocket, about a third of a socket.io connection (engine.io's and socket.io's objects, their
 * timers and buffers, the recovery of missed packets that only players need). Every broadcast is
 * serialised and framed once, whatever the audience, and each connection is written the same bytes
 * (frame.ts); with several processes the owner of an exhibition also
 * publishes it once to the others that have spectators of it (FeedRelay).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { type Failure, fail, type Result } from '../../shared/errors.js';
import { FEED_PATH, type FeedAnswer, feedRequest } from '../../shared/feed.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../log.js';
import type { Admission } from './admission.js';
import type { Audience, BroadcastEvent, BroadcastOf } from './audience.js';
import type { AnyCommand, CommandRunner } from './command.js';
import type { FeedRelay } from './feed-relay.js';
import type { RoomAccess } from './forward.js';
import { FrameRuns, textFrames } from './frame.js';
import { MAX_MESSAGE_BYTES } from './socketio.js';
import { exhibitionOf } from './topics.js';
import { countWatching, type Member, spectatorCommands } from './spectator.js';

/** How often every connection is pinged; one that has not answered the last ping by the next is dropped. */
const PING_MS = 25_000;

/** One spectator's connection: `ws`'s WebSocket and the little the feed keeps beside it. */
export class FeedSocket extends WebSocket implements Member {
  /** The client's address, counted against the cap per address until the socket closes. */
  address = '';
  /** The feed it belongs to (set as it opens). */
  feed!: Feed;
  /** The topics it follows. */
  readonly topics: string[] = [];
  readonly watching: string[] = [];
  /** It answered the last ping. */
  alive = true;
  /** Its TCP connection (set as it opens). */
  tcp!: Duplex;

  has(topic: string): boolean {
    return this.topics.includes(topic);
  }

  join(topic: string): Promise<void> | void {
    if (!this.has(topic)) this.topics.push(topic);
    return this.feed.follow(this, topic);
  }

  /**
   * Whole WebSocket frames (frame.ts), written to the connection as they are. `ws` writes its own
   * frames (pings, the close) whole too, and holds none back: nothing is compressed here.
   */
  sendFrames(bytes: Buffer): void {
    this.tcp.write(bytes);
  }

  leave(topic: string): void {
    const at = this.topics.indexOf(topic);
    if (at < 0) return;
    this.topics.splice(at, 1);
    this.feed.unfollow(this, topic);
  }
}

export interface FeedDeps {
  access: RoomAccess;
  admit: Admission;
  run: CommandRunner;
  log: Logger;
  limits: Limits;
  /** The other processes, when there are any. */
  relay?: FeedRelay;
}

const statusOf = (refused: Failure) => (refused.error.code === 'RATE_LIMITED' ? '429 Too Many Requests' : '403 Forbidden');

export class Feed implements Audience {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, WebSocket: FeedSocket });
  /** Who follows each topic. */
  private readonly followers = new Map<string, Set<FeedSocket>>();
  private readonly commands: Record<string, AnyCommand<FeedSocket>>;
  private readonly heartbeat: NodeJS.Timeout;
  /** Broadcasts made inside `batch`, delivered as it returns. */
  private held: FrameRuns | null = null;

  constructor(
    http: HttpServer,
    private readonly deps: FeedDeps,
  ) {
    this.commands = spectatorCommands(deps.access) as unknown as Record<string, AnyCommand<FeedSocket>>;
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://x').pathname === FEED_PATH) this.upgrade(req, socket, head);
    });
    this.heartbeat = setInterval(() => this.ping(), PING_MS);
    this.heartbeat.unref();
    deps.relay?.onBroadcast((to, payload) => this.deliver(to, textFrames([payload])));
    deps.access.onNewOwner((id) => {
      for (const socket of this.wss.clients as Set<FeedSocket>) countWatching(deps.access, socket, 1, id);
    });
  }

  /** Serialised once, framed once and sent as it is to every follower here; published once to the other processes. */
  emit<E extends BroadcastEvent>(to: string | string[], event: E, msg: BroadcastOf<E>): void {
    const topics = typeof to === 'string' ? [to] : to;
    const relay = this.deps.relay;
    // serialised only for someone: a spectator here, or another process's
    if (!topics.some((t) => this.followers.has(t)) && !relay?.wanted(topics)) return;
    const payload = Buffer.from(JSON.stringify({ event, msg }));
    relay?.publish(topics, payload);
    if (this.held) this.held.add(topics, payload);
    else this.deliver(topics, textFrames([payload]));
  }

  /**
   * The broadcasts `make` makes (a command's events: the board, then Judit's whereabouts) are
   * delivered as it returns, in order; a run of them to the same topics goes in one write to each
   * connection (FrameRuns).
   */
  batch(make: () => void): void {
    if (this.held) return make();
    const held = (this.held = new FrameRuns());
    try {
      make();
    } finally {
      this.held = null;
      for (const { to, frames } of held.take()) this.deliver(to, frames);
    }
  }

  /** `socket` follows `topic`: settles once the topic's broadcasts from other processes reach this one too. */
  follow(socket: FeedSocket, topic: string): Promise<void> | void {
    let set = this.followers.get(topic);
    if (!set) this.followers.set(topic, (set = new Set()));
    set.add(socket);
    const id = exhibitionOf(topic);
    if (id !== undefined) return this.deps.relay?.listen(id);
  }

  unfollow(socket: FeedSocket, topic: string): void {
    const set = this.followers.get(topic);
    if (!set?.delete(socket)) return;
    if (set.size > 0) return;
    this.followers.delete(topic);
    const id = exhibitionOf(topic);
    // the relay listens to an exhibition while any of its topics is followed here
    if (id === undefined || !this.deps.relay) return;
    for (const other of this.followers.keys()) if (exhibitionOf(other) === id) return;
    this.deps.relay.unlisten(id);
  }

  /** Connections open now. */
  get size(): number {
    return this.wss.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const socket of this.wss.clients) socket.terminate();
    this.wss.close();
  }

  private deliver(topics: string[], frames: Buffer): void {
    if (topics.length === 1) {
      const set = this.followers.get(topics[0]);
      if (set) for (const socket of set) this.send(socket, frames);
      return;
    }
    const sent = new Set<FeedSocket>();
    for (const topic of topics) {
      for (const socket of this.followers.get(topic) ?? []) {
        if (sent.has(socket)) continue;
        sent.add(socket);
        this.send(socket, frames);
      }
    }
  }

  /** Sends, unless the socket has not read what it was sent before: then it is dropped (see unsent.ts). */
  private send(socket: FeedSocket, frames: Buffer): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    const unsent = socket.bufferedAmount;
    if (unsent > this.deps.limits.maxUnsentBytes) {
      this.deps.log.warn({ unsent }, 'socket dropped: it does not read what it is sent');
      socket.terminate();
      return;
    }
    socket.sendFrames(frames);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.deps.admit.reserve(req).then((refused) => {
      if (refused) {
        const body = JSON.stringify(refused);
        socket.end(`HTTP/1.1 ${statusOf(refused)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
      // a handshake `ws` refuses closes the socket, which gives the place back
      this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws as FeedSocket, socket));
    });
  }

  private opened(socket: FeedSocket, tcp: Duplex): void {
    const address = this.deps.admit.opened(tcp);
    if (address === undefined) return socket.terminate(); // its client left while it was let in
    socket.address = address;
    socket.feed = this;
    socket.tcp = tcp;
    // one function each for every socket: a connection costs only its own state
    socket.on('message', received);
    socket.on('pong', answered);
    socket.on('error', ignored); // a protocol error closes the socket; 'close' does the rest
    socket.on('close', closed);
  }

  /** A command: answered with its number, or ignored when it carries none to answer to. */
  answer(socket: FeedSocket, data: RawData): void {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    const asked = feedRequest.safeParse(frame);
    if (!asked.success) return;
    const { n, command: name, payload } = asked.data;
    const reply = (result: Result<object>) => this.send(socket, textFrames([Buffer.from(JSON.stringify({ n, result } satisfies FeedAnswer))]));
    const command = Object.hasOwn(this.commands, name) ? this.commands[name] : undefined;
    if (!command) return reply(fail('BAD_REQUEST', `The feed has no command "${name}".`));
    void this.deps.run(socket, socket.address, name, command, payload).then(reply);
  }

  /** Gone: it stops counting, as a spectator and against its address. */
  left(socket: FeedSocket): void {
    for (const topic of socket.topics) this.unfollow(socket, topic);
    countWatching(this.deps.access, socket, -1);
    this.deps.admit.closed(socket.address);
  }

  private ping(): void {
    for (const socket of this.wss.clients as Set<FeedSocket>) {
      if (!socket.alive) {
        socket.terminate();
        continue;
      }
      socket.alive = false;
      socket.ping();
    }
  }
}

// `ws` types a listener's `this` as its own WebSocket: every socket here is a FeedSocket
function received(this: WebSocket, data: RawData): void {
  const socket = this as FeedSocket;
  socket.feed.answer(socket, data);
}

function answered(this: WebSocket): void {
  (this as FeedSocket).alive = true;
}

function closed(this: WebSocket): void {
  const socket = this as FeedSocket;
  socket.feed.left(socket);
}

function ignored(): void {}
