/**
 * Several server processes sharing one Redis: a broadcast made on one reaches the sockets of every
 * other, and an address has one budget of sockets and commands over all of them.
 */
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/log.js';
import { connectRedis, type SharedRedis } from '../../server/redis.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { REDIS_URL, redisAnswers } from '../services.js';
import { type Client, connect, createExhibition, openAtOnce, startServer, until } from './harness.js';
import type { App } from '../../server/app.js';
import type { Limits } from '../../server/limits.js';

const available = await redisAnswers();

describe.skipIf(!available)('server processes sharing Redis', () => {
  const opened: { app: App; redis: SharedRedis }[] = [];
  const clients: Client[] = [];
  // a prefix per run: nothing left by another run (or another user of this Redis) counts
  const run = `simul-test:${randomUUID()}:`;

  /** A server process of its own (its own Redis connections), sharing `store` and `prefix` with the others. */
  async function process(store: SqliteStore, prefix: string, limits: Partial<Limits> = {}) {
    const redis = await connectRedis(REDIS_URL, prefix, createLogger('silent'));
    const started = await startServer({ store, limits, redis });
    opened.push({ app: started.app, redis });
    return started.url;
  }
  /** Sockets each process holds, by its /healthz. */
  async function sockets(url: string): Promise<number> {
    return ((await (await fetch(`${url}/healthz`)).json()) as { sockets: number }).sockets;
  }
  async function client(url: string): Promise<Client> {
    const socket = await connect(url);
    clients.push(socket);
    return socket;
  }

  afterAll(async () => {
    for (const s of clients) s.disconnect();
    for (const { app, redis } of opened) {
      await app.close();
      await redis.close();
    }
    const cleaner = await connectRedis(REDIS_URL, run, createLogger('silent'));
    const keys = await cleaner.client.keys(`${run}*`);
    if (keys.length > 0) await cleaner.client.del(...keys);
    await cleaner.close();
  });

  /** Two processes with a prefix of their own: what other tests left in Redis does not count. */
  async function pair(limits: Partial<Limits> = {}): Promise<[string, string]> {
    const store = new SqliteStore(':memory:');
    const prefix = `${run}${randomUUID()}:`;
    return [await process(store, prefix, limits), await process(store, prefix, limits)];
  }

  it('carry a broadcast to the sockets of another process', async () => {
    const [a, b] = await pair();
    const watcher = await client(b);
    const news: string[] = [];
    // onAny: until() looks after every event, and onAny listeners hear it before the others
    watcher.onAny((event, msg) => event === 'lobby:update' && news.push(msg.exhibition.name));
    expect((await watcher.emitWithAck('lobby:watch', {})).ok).toBe(true);
    const { id } = await createExhibition(a, { name: 'Across', boards: 2 });
    const player = await client(a);
    expect((await player.emitWithAck('seat:take', { id, name: 'Ada' })).ok).toBe(true);
    // the seat taken on one process is news in the lobby of the other
    await until(watcher, () => news.includes('Across'));
  });

  it('bring a reconnecting socket what it missed', async () => {
    const [a] = await pair();
    const { id } = await createExhibition(a, { name: 'Tunnel', boards: 3 });
    const spectator: Client = io(a, { transports: ['websocket'], forceNew: true });
    clients.push(spectator);
    await new Promise<void>((resolve) => spectator.once('connect', () => resolve()));
    const seen: string[] = [];
    spectator.onAny((event, msg) => event === 'seat:update' && seen.push(msg.opponent ?? ''));
    expect((await spectator.emitWithAck('exhibition:watch', { id })).ok).toBe(true);
    const player = await client(a);
    expect((await player.emitWithAck('seat:take', { id, name: 'Ada' })).ok).toBe(true);
    await until(spectator, () => seen.length === 1);

    spectator.io.reconnection(false);
    const gone = new Promise<void>((resolve) => spectator.once('disconnect', () => resolve()));
    spectator.io.engine.close();
    await gone;
    expect((await player.emitWithAck('seat:take', { id, name: 'Grace' })).ok).toBe(true);
    const back = new Promise<void>((resolve) => spectator.once('connect', () => resolve()));
    spectator.io.reconnection(true);
    spectator.connect();
    await back;

    expect(spectator.recovered).toBe(true);
    await until(spectator, () => seen.length === 2);
    expect(seen).toEqual(['Ada', 'Grace']);
  });

  it('count one address’s sockets over every process', async () => {
    const [a, b] = await pair({ maxSocketsPerIp: 3 });
    await client(a);
    await client(b);
    await client(b);
    await expect(connect(a)).rejects.toThrow();
  });

  /**
   * Three times `cap` sockets asked for at once from one address, on both transports, spread over
   * `urls`: exactly `cap` open, every other one refused as too many (the feed with 429 and
   * RATE_LIMITED, socket.io's handshake with the cap's message).
   */
  async function crowd(urls: string[], cap: number): Promise<void> {
    const targets = Array.from({ length: 3 * cap }, (_, i) => ({ url: urls[i % urls.length], transport: i % 2 === 0 ? ('feed' as const) : ('socket.io' as const) }));
    const attempts = await openAtOnce(targets);
    try {
      expect(attempts.filter((a) => a.outcome === 'open')).toHaveLength(cap);
      attempts.forEach(({ outcome }, i) => {
        if (outcome === 'open') return;
        if (targets[i].transport === 'feed') expect([outcome.status, JSON.parse(outcome.body).error.code]).toEqual([429, 'RATE_LIMITED']);
        else expect(outcome).toEqual({ status: 400, body: `At most ${cap} connections from one address.` });
      });
      expect((await Promise.all(urls.map(sockets))).reduce((a, b) => a + b)).toBe(cap);
    } finally {
      for (const a of attempts) a.close();
    }
  }

  /** Crowds one after the other (the race is the server's, not always lost): each closes before the next comes. */
  async function crowds(urls: string[], cap: number): Promise<void> {
    for (let round = 0; round < 3; round++) {
      await crowd(round % 2 === 0 ? urls : [...urls].reverse(), cap);
      await vi.waitFor(async () => expect((await Promise.all(urls.map(sockets))).reduce((a, b) => a + b)).toBe(0));
    }
  }

  it('hold the cap on one address when its sockets all open at once, at one process', async () => {
    const [a] = await pair({ maxSocketsPerIp: 4 });
    await crowds([a], 4);
  });

  it('hold the cap on one address when its sockets all open at once, over two processes', async () => {
    const [a, b] = await pair({ maxSocketsPerIp: 4 });
    await crowds([a, b], 4);
  });

  it('hold the cap in each process by its own count while Redis is unreachable', async () => {
    const redis = await connectRedis(REDIS_URL, `${run}${randomUUID()}:`, createLogger('silent'));
    const { app, url } = await startServer({ store: new SqliteStore(':memory:'), limits: { maxSocketsPerIp: 4 }, redis });
    opened.push({ app, redis });
    redis.client.disconnect(); // its connection for the counts is gone, and stays gone
    await crowds([url], 4);
  });

  it('give a place back when its client leaves in the middle of the handshake', async () => {
    const [a, b] = await pair({ maxSocketsPerIp: 4 });
    const targets = Array.from({ length: 12 }, (_, i) => ({ url: i % 3 === 0 ? b : a, transport: i % 2 === 0 ? ('feed' as const) : ('socket.io' as const) }));
    await openAtOnce(targets, { leave: true });
    await vi.waitFor(async () => expect((await sockets(a)) + (await sockets(b))).toBe(0));
    await crowd([a, b], 4);
  });

  it('give one address one budget of commands over every process', async () => {
    const [a, b] = await pair({ commandsPerSecondPerIp: 2 });
    const [onA, onB] = [await client(a), await client(b)];
    const answers = [];
    // a burst of twice the rate, four commands, wherever they are sent
    for (let i = 0; i < 3; i++) answers.push(await onA.emitWithAck('lobby:watch', {}), await onB.emitWithAck('lobby:watch', {}));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(4);
    expect(answers.filter((answer) => !answer.ok && answer.error.code === 'RATE_LIMITED')).toHaveLength(2);
  });

  it('let one address create so many exhibitions a minute, on whichever process', async () => {
    const [a, b] = await pair({ createsPerMinute: 1 });
    await createExhibition(a, { name: 'First', boards: 1 });
    const res = await fetch(`${b}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Second","boards":1}' });
    expect(res.status).toBe(429);
  });
});
