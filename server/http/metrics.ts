import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Registry as MetricRegistry, Summary } from 'prom-client';
import type { ServedListener } from '../judit/pool.js';

/** What the metrics read of the engine pool. */
export interface EngineGauges {
  readonly size: number;
  readonly busy: number;
  readonly ready: number;
  readonly queueLength: number;
  onServed(listener: ServedListener): () => void;
}

export interface MetricSources {
  /** Absent with a brain of its own per exhibition (the fast one). */
  engines?: EngineGauges;
  running: () => number;
  sockets: () => number;
  /** The feed's broadcasts between processes; absent for a process alone. */
  relay?: { readonly published: number; readonly received: number };
}

/** The window of the moves-per-second gauge. */
const RATE_WINDOW_MS = 10_000;

/**
 * The server's figures for Prometheus: the engine pool (busy, queue, wait, late moves), Judit's
 * moves a second, running exhibitions, sockets, and Node's own (event-loop delay among them).
 */
export class ServerMetrics {
  readonly registry = new MetricRegistry();
  private readonly moves: Counter;
  /** When each of Judit's moves of the last window was made (monotonic ms). */
  private readonly recent: number[] = [];

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    this.moves = new Counter({ name: 'simul_judit_moves_total', help: 'Moves Judit made, every exhibition together', registers });
    gauge('simul_judit_moves_per_second', `Judit's moves a second over the last ${RATE_WINDOW_MS / 1000} s`, () => this.rate());
    gauge('simul_exhibitions_running', 'Exhibitions running, paused or starting', sources.running);
    gauge('simul_sockets', 'Open socket.io connections', sources.sockets);
    const { relay } = sources;
    if (relay) {
      const total = (name: string, help: string, read: () => number) =>
        new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
      total('simul_feed_relay_published_total', 'Spectators’ broadcasts this process published for the other processes', () => relay.published);
      total('simul_feed_relay_received_total', 'Spectators’ broadcasts this process received from another process for its own spectators', () => relay.received);
    }
    const { engines } = sources;
    if (!engines) return;
    gauge('simul_engines', 'Engines in the pool, started or not', () => engines.size);
    gauge('simul_engines_ready', 'Engines started and able to think', () => engines.ready);
    gauge('simul_engines_busy', 'Engines searching now', () => engines.busy);
    gauge('simul_engine_queue_length', 'Requests waiting for an engine', () => engines.queueLength);
    const wait = new Summary({
      name: 'simul_engine_wait_seconds',
      help: 'Time a request waited for an engine (last 5 minutes)',
      percentiles: [0.5, 0.99],
      maxAgeSeconds: 300,
      ageBuckets: 5,
      registers,
    });
    const late = new Counter({ name: 'simul_engine_late_moves_total', help: 'Searches cut short at the think time, the engines all busy', registers });
    engines.onServed((waitedMs, thought) => {
      wait.observe(waitedMs / 1000);
      if (thought.late) late.inc();
    });
  }

  /** One of Judit's moves was made. */
  juditMoved(): void {
    this.moves.inc();
    const now = performance.now();
    this.recent.push(now);
    this.prune(now);
  }

  handler(): RequestHandler {
    return (_req, res, next) => {
      this.registry.metrics().then((text) => {
        res.type(this.registry.contentType).send(text);
      }, next);
    };
  }

  private rate(): number {
    this.prune(performance.now());
    return this.recent.length / (RATE_WINDOW_MS / 1000);
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop] < now - RATE_WINDOW_MS) drop++;
    if (drop > 0) this.recent.splice(0, drop);
  }
}
