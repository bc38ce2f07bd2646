import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../server/app.js';
import { realClock } from '../../server/clock/real.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import type { EngineGauges } from '../../server/http/metrics.js';
import type { ServedListener } from '../../server/judit/pool.js';
import { createLogger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { UNLIMITED } from '../unlimited.js';
import { connect, createExhibition } from './harness.js';

/** An engine pool as the metrics see it, set by the test. */
class PoolGauges implements EngineGauges {
  size = 2;
  busy = 0;
  ready = 0;
  queueLength = 0;
  readonly listeners: ServedListener[] = [];
  onServed(listener: ServedListener): () => void {
    this.listeners.push(listener);
    return () => {};
  }
}

let app: App | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function serve(engines: PoolGauges): Promise<string> {
  app = await createApp({
    clock: realClock,
    createBrain: async () => new FastBrain({ clock: realClock }),
    engines,
    store: new SqliteStore(':memory:'),
    log: createLogger('silent'),
    limits: UNLIMITED,
  });
  return `http://127.0.0.1:${await app!.listen(0, '127.0.0.1')}`;
}

describe('/readyz', () => {
  it('answers 503 until an engine can think, then 200', async () => {
    const engines = new PoolGauges();
    const url = await serve(engines);
    const before = await fetch(`${url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ready: false, store: true, engines: 0 });
    engines.ready = 1;
    const after = await fetch(`${url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ready: true, store: true, engines: 1 });
  });
});

describe('/metrics', () => {
  it('shows the engine pool, the exhibitions, the sockets and the event loop', async () => {
    const engines = new PoolGauges();
    const url = await serve(engines);
    engines.busy = 2;
    engines.queueLength = 5;
    for (const listener of engines.listeners) {
      listener(40, { move: 'e2e4', scoreCp: 0 });
      listener(900, { move: 'e2e4', scoreCp: 0, late: true });
    }
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('simul_engines_busy')).toBe(2);
    expect(value('simul_engine_queue_length')).toBe(5);
    expect(value('simul_engines')).toBe(2);
    expect(value('simul_engine_late_moves_total')).toBe(1);
    expect(value('simul_engine_wait_seconds_count')).toBe(2);
    expect(value('simul_engine_wait_seconds\\{quantile="0.99"\\}')).toBeCloseTo(0.9, 6);
    expect(value('simul_exhibitions_running')).toBe(0);
    expect(value('simul_sockets')).toBe(0);
    expect(value('simul_judit_moves_per_second')).toBe(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });
});

describe('/metrics while Judit plays', () => {
  it('counts her moves, the running exhibition and the sockets', async () => {
    const url = await serve(new PoolGauges());
    const { id, hostKey } = await createExhibition(url, { name: 'Counted', boards: 1, thinkSeconds: 0.05 });
    const player = await connect(url);
    try {
      expect((await player.emitWithAck('seat:take', { id, name: 'Ada' })).ok).toBe(true);
      const moved = new Promise<void>((resolve) => player.once('board:move', () => resolve()));
      player.emit('exhibition:watch', { id }, () => {});
      expect((await player.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
      await moved;
      const text = await (await fetch(`${url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      expect(value('simul_judit_moves_total')).toBe(1);
      expect(value('simul_judit_moves_per_second')).toBeGreaterThan(0);
      expect(value('simul_exhibitions_running')).toBe(1);
      expect(value('simul_sockets')).toBe(1);
    } finally {
      player.disconnect();
    }
  });
});
