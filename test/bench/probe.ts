/**
 * A server process's own figures, for the orchestrator: event-loop delay (overall, and apart from
 * the moments the server broadcasts to a crowd), CPU use and heap (the process must run with
 * `--expose-gc`).
 */
import { writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Adapter } from 'socket.io-adapter';
import WebSocket from 'ws';
import { Feed, FeedSocket } from '../../server/transport/feed.js';
import type { Broadcast, ProbeCommands } from './commands.js';
import { Histogram, wallNow } from './histogram.js';
import type { Handlers } from './ipc.js';

const RESOLUTION_MS = 10;
/** Frames sent within two intervals that make a burst: a broadcast to a crowd. */
const CROWD = 50;

/**
 * Counts WebSocket frames sent: every broadcast passes through `ws`, whichever server (the real one,
 * the raw one) and whichever transport (socket.io's engine, the spectators' feed) made it.
 */
let framesSent = 0;
/** Of them, those sent as bytes serialised once for many (the spectators' broadcasts, on either server). */
let sharedFramesSent = 0;
/**
 * While the orchestrator measures: every frame serialised once for many, with the moments it was
 * sent to the first and to the last of its sockets. These are the spectators' broadcasts as the
 * server sent them, for the raw server to replay at the same moments, and how long each took to
 * put on every socket.
 */
interface Sent {
  at: number;
  last: number;
  frame: Buffer;
}
let recorded: Sent[] | null = null;
const sent = new WeakMap<Buffer, Sent>();
const send = WebSocket.prototype.send as (this: WebSocket, ...args: unknown[]) => void;
WebSocket.prototype.send = function (this: WebSocket, ...args: unknown[]) {
  framesSent++;
  const data = args[0];
  if (Buffer.isBuffer(data)) {
    sharedFramesSent++;
    if (recorded) {
      const now = wallNow();
      const entry = sent.get(data);
      if (entry) entry.last = now;
      else {
        const first = { at: now, last: now, frame: data };
        sent.set(data, first);
        recorded.push(first);
      }
    }
  }
  send.apply(this, args);
} as WebSocket['send'];
/** Every frame written, engine.io's pre-encoded broadcasts (which skip `send`) among them. */
let framesWritten = 0;
// `ws` exports its Sender, untyped: each frame is one call of its sendFrame
const { prototype: sender } = (WebSocket as unknown as { Sender: { prototype: { sendFrame: (...args: unknown[]) => void } } }).Sender;
const sendFrame = sender.sendFrame;
sender.sendFrame = function (this: unknown, ...args: unknown[]) {
  framesWritten++;
  sendFrame.apply(this, args);
};

/**
 * Simul's feed frames a broadcast once and writes the same bytes to every follower, past `ws`'s
 * `send` (Feed.deliver, then FeedSocket.sendFrames for each): its frames are counted and recorded
 * there, each as `send` counts and records them above.
 */
let delivering: Sent[] | null = null;

/** Delivers `frames`, framed once for many (frame.ts), to the sockets `deliver` writes them to, each of its messages counted and recorded. */
export function deliverFramed(frames: Buffer, deliver: () => void): void {
  const broadcasts = payloadsOf(frames).map((frame) => ({ at: -1, last: -1, frame }));
  delivering = broadcasts;
  try {
    deliver();
  } finally {
    delivering = null;
  }
  if (recorded && broadcasts[0].at >= 0) recorded.push(...broadcasts);
}
const feed = Feed.prototype as unknown as { deliver: (this: Feed, topics: string[], frames: Buffer) => void };
const deliver = feed.deliver;
feed.deliver = function (this: Feed, topics: string[], frames: Buffer) {
  deliverFramed(frames, () => deliver.call(this, topics, frames));
};
const sendFrames = FeedSocket.prototype.sendFrames;
FeedSocket.prototype.sendFrames = function (this: FeedSocket, frames: Buffer) {
  const count = delivering?.length ?? payloadsOf(frames).length;
  framesSent += count;
  framesWritten += count;
  if (delivering) {
    sharedFramesSent += count;
    const now = wallNow();
    for (const sent of delivering) {
      if (sent.at < 0) sent.at = now;
      sent.last = now;
    }
  }
  sendFrames.call(this, frames);
};

/** The payloads of whole, unmasked WebSocket frames one after another (frame.ts). */
function payloadsOf(frames: Buffer): Buffer[] {
  const payloads: Buffer[] = [];
  for (let at = 0; at < frames.length; ) {
    const short = frames[at + 1] & 0x7f;
    const [length, start] = short === 126 ? [frames.readUInt16BE(at + 2), at + 4] : short === 127 ? [Number(frames.readBigUInt64BE(at + 2)), at + 10] : [short, at + 2];
    payloads.push(frames.subarray(start, start + length));
    at = start + length;
  }
  return payloads;
}

/** The adapters seen broadcasting: the one with connection-state recovery keeps its packets. */
const adapters = new Set<Adapter>();
const broadcast = Adapter.prototype.broadcast;
Adapter.prototype.broadcast = function (this: Adapter, packet, opts) {
  adapters.add(this);
  return broadcast.call(this, packet, opts);
};

/**
 * Event-loop delay sampled every RESOLUTION_MS, split by whether a crowd was sent frames in the last
 * two intervals (a burst and the writes draining after it) or not.
 */
function quietDelay(): { reset(): void; quiet(): Histogram; bursts(): Histogram } {
  let quiet = new Histogram();
  let bursts = new Histogram();
  let seen = [framesSent, framesSent];
  let due = performance.now() + RESOLUTION_MS;
  const tick = () => {
    const now = performance.now();
    const late = Math.max(0, now - due);
    (framesSent - seen[0] >= CROWD ? bursts : quiet).record(late);
    seen = [seen[1], framesSent];
    due = now + RESOLUTION_MS;
    setTimeout(tick, RESOLUTION_MS).unref();
  };
  setTimeout(tick, RESOLUTION_MS).unref();
  return {
    reset() {
      quiet = new Histogram();
      bursts = new Histogram();
    },
    quiet: () => quiet,
    bursts: () => bursts,
  };
}

export function probe(): Handlers<ProbeCommands> {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const split = quietDelay();
  let elu = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  let since = performance.now();
  let frames = { all: framesWritten, shared: sharedFramesSent };
  const gc = (globalThis as { gc?: () => void }).gc;
  let session: Session | null = null;
  /** The broadcasts recorded over the last window, until asked for. */
  let recording: typeof recorded = null;

  return {
    loopReset() {
      delay.reset();
      split.reset();
      elu = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
      since = performance.now();
      frames = { all: framesWritten, shared: sharedFramesSent };
      recorded = [];
      return {};
    },
    loop() {
      recording = recorded;
      recorded = null;
      const ms = (ns: number) => ns / 1e6;
      const used = process.cpuUsage(cpu);
      return {
        p50Ms: ms(delay.percentile(50)),
        p99Ms: ms(delay.percentile(99)),
        maxMs: ms(delay.max),
        quietP99Ms: split.quiet().quantile(0.99),
        quietShare: split.quiet().count / Math.max(1, split.quiet().count + split.bursts().count),
        utilisation: performance.eventLoopUtilization(elu).utilization,
        cpu: (used.user + used.system) / 1000 / (performance.now() - since),
        cpuMicros: used.user + used.system,
        frames: framesWritten - frames.all,
        sharedFrames: sharedFramesSent - frames.shared,
      };
    },
    /**
     * The spectators' broadcasts of the last window (from `loopReset` to `loop`), each exhibition's
     * its room; and for each board:update, ms from its sentAt to its write to the last socket here.
     */
    broadcasts() {
      const broadcasts: Broadcast[] = [];
      const sendSpans: number[] = [];
      for (const { at, last, frame } of recording ?? []) {
        const { event, msg } = JSON.parse(frame.toString()) as { event: Broadcast['event']; msg: { id?: unknown; sentAt?: unknown } };
        if (typeof msg.id === 'string') broadcasts.push({ at, room: msg.id, event, payload: msg });
        if (event === 'board:update' && typeof msg.sentAt === 'number') sendSpans.push(last - msg.sentAt);
      }
      recording = null;
      return { broadcasts, sendSpans };
    },
    /** A CPU profile of the measured window only, as `node --cpu-prof` writes them. */
    async profileStart() {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return {};
    },
    async profileStop({ path }) {
      if (!session) throw new Error('no profile under way');
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
      session = null;
      return {};
    },
    /** A heap snapshot (open it in Chrome DevTools' Memory tab), after a collection. */
    heapSnapshot({ path }) {
      (globalThis as { gc?: () => void }).gc?.();
      writeHeapSnapshot(path);
      return {};
    },
    async heap() {
      if (!gc) throw new Error('start the process with --expose-gc');
      // a few collections with a turn of the loop between them, so finalised objects go too
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const m = process.memoryUsage();
      let keptPackets = 0;
      for (const a of adapters) keptPackets += (a as unknown as { packets?: unknown[] }).packets?.length ?? 0;
      return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, keptPackets };
    },
  };
}
