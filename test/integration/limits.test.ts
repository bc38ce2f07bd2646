/**
 * What one hostile visitor can take from the server: each cap, set small so that it is reached in
 * a few requests. Every check waits for what a visitor would see, never for a length of time.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseConfig } from '../../shared/config.js';
import type { ExhibitionSummary } from '../../shared/domain.js';
import type { CreatedExhibition, ExhibitionSnapshot, LobbyPage, SeatGranted, SeatInfo } from '../../shared/protocol.js';
import { type App, createApp } from '../../server/app.js';
import { createLogger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { UNLIMITED } from '../unlimited.js';
import type { Brain } from '../../server/judit/brain.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import { realClock } from '../../server/clock/real.js';
import { type Client, connect, createExhibition, type ServerOptions, startServer } from './harness.js';

let running: { app: App; sockets: Client[] }[] = [];
afterEach(async () => {
  for (const r of running) {
    for (const s of r.sockets) s.disconnect();
    await r.app.close();
  }
  running = [];
});

/** A server of its own for one test, with the limits the test tries. */
async function server(options: ServerOptions = {}) {
  const { app, url } = await startServer(options);
  const sockets: Client[] = [];
  running.push({ app, sockets });
  return {
    app,
    url,
    async client() {
      const s = await connect(url);
      sockets.push(s);
      return s;
    },
  };
}

const json = async <T>(url: string) => (await (await fetch(url)).json()) as T;
const health = (url: string) => json<{ ok: boolean; sockets: number; running: number }>(`${url}/healthz`);

/** Polls `probe` until it holds; the test's own timeout is the only limit. */
async function eventually(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 50));
}

describe('lists come in pages', () => {
  it('the lobby answers at most 50 exhibitions, and its cursor the rest, over HTTP and the socket', async () => {
    const s = await server();
    for (let i = 0; i < 60; i++) await s.app.rooms.create(parseConfig({ name: `Simul ${i}`, boards: 2 }));
    const first = await json<LobbyPage>(`${s.url}/api/exhibitions`);
    expect(first.exhibitions).toHaveLength(50);
    expect(first.cursor).not.toBeNull();
    const second = await json<LobbyPage>(`${s.url}/api/exhibitions?cursor=${first.cursor}`);
    expect(second.exhibitions).toHaveLength(10);
    expect(second.cursor).toBeNull();
    const ids = new Set([...first.exhibitions, ...second.exhibitions].map((x) => x.id));
    expect(ids.size).toBe(60);

    const c = await s.client();
    const page = await c.emitWithAck('lobby:watch', {});
    expect(page.ok && page.exhibitions.length).toBe(50);
    const rest = await c.emitWithAck('lobby:watch', { cursor: page.ok ? page.cursor! : '' });
    expect(rest.ok && rest.exhibitions.map((x: ExhibitionSummary) => x.id)).toEqual(second.exhibitions.map((x) => x.id));
  });

  it('drops a socket that stops reading once its unsent answers pass the bound', async () => {
    const s = await server({ limits: { maxUnsentBytes: 64 * 1024, commandsPerSecondPerSocket: 100_000 } });
    for (let i = 0; i < 50; i++) await s.app.rooms.create(parseConfig({ name: `A long enough name for a fat lobby ${i}`, boards: 10 }));
    const raw = new WebSocket(`${s.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    await new Promise((resolve) => raw.once('message', resolve)); // engine.io's open packet
    raw.send('40');
    await new Promise((resolve) => raw.once('message', resolve)); // socket.io's connect
    expect((await health(s.url)).sockets).toBe(1);
    (raw as unknown as { _socket: { pause(): void } })._socket.pause(); // reads nothing from now on
    // ask for the lobby again and again (about 15 KB each) while never reading an answer
    const ask = setInterval(() => {
      for (let i = 0; i < 50; i++) if (raw.readyState === WebSocket.OPEN) raw.send(`42${i}["lobby:watch",{}]`);
    }, 20);
    try {
      await eventually(async () => (await health(s.url)).sockets === 0);
    } finally {
      clearInterval(ask);
      raw.terminate();
    }
    const c = await s.client(); // the server serves on
    expect((await c.emitWithAck('lobby:watch', {})).ok).toBe(true);
  });
});

describe('engines', () => {
  it('a refused start launches no engine', async () => {
    let launched = 0;
    const s = await server({
      createBrain: async (): Promise<Brain> => {
        launched++;
        return new FastBrain({ clock: realClock });
      },
    });
    const { id, hostKey } = await createExhibition(s.url, { name: 'Empty', boards: 2 });
    const c = await s.client();
    const refused = await c.emitWithAck('host:start', { id, hostKey });
    expect(refused.ok || refused.error.code).toBe('WRONG_STATE');
    expect(launched).toBe(0);
  });

  it('no more exhibitions run than MAX_RUNNING; the next start is SERVER_BUSY until one ends', async () => {
    const s = await server({ limits: { maxRunning: 1 } });
    const a = await createExhibition(s.url, { name: 'A', boards: 1, thinkSeconds: 30 });
    const b = await createExhibition(s.url, { name: 'B', boards: 1, thinkSeconds: 30 });
    const c = await s.client();
    expect((await c.emitWithAck('seat:take', { id: a.id, name: 'Ann' })).ok).toBe(true);
    expect((await c.emitWithAck('seat:take', { id: b.id, name: 'Bob' })).ok).toBe(true);
    expect((await c.emitWithAck('host:start', { id: a.id, hostKey: a.hostKey })).ok).toBe(true);
    const busy = await c.emitWithAck('host:start', { id: b.id, hostKey: b.hostKey });
    expect(busy.ok).toBe(false);
    if (!busy.ok) {
      expect(busy.error.code).toBe('SERVER_BUSY');
      expect(busy.error.message).toMatch(/already running 1 exhibition/);
    }
    expect((await json<ExhibitionSnapshot>(`${s.url}/api/exhibitions/${b.id}`)).status).toBe('open');
    expect((await c.emitWithAck('host:end', { id: a.id, hostKey: a.hostKey })).ok).toBe(true);
    expect((await c.emitWithAck('host:start', { id: b.id, hostKey: b.hostKey })).ok).toBe(true);
  });
});

describe('creation and abandonment', () => {
  it('limits the exhibitions one address creates in a minute', async () => {
    const s = await server({ limits: { createsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) await createExhibition(s.url, { name: `N${i}`, boards: 1 });
    const res = await fetch(`${s.url}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"One too many","boards":1}' });
    expect(res.status).toBe(429);
    expect((await res.json()).error.code).toBe('RATE_LIMITED');
  });

  it('ends an exhibition nobody attends, keeping its results; one with its host there stays', async () => {
    const s = await server({ limits: { abandonMinutes: 0.005 } }); // 300 ms
    const left = await createExhibition(s.url, { name: 'Left', boards: 2, thinkSeconds: 30 });
    const kept = await createExhibition(s.url, { name: 'Kept', boards: 2 });
    const host = await s.client();
    expect((await host.emitWithAck('host:watch', { id: kept.id, hostKey: kept.hostKey })).ok).toBe(true);
    const player = await s.client();
    expect((await player.emitWithAck('seat:take', { id: left.id, name: 'Ann' })).ok).toBe(true);
    expect((await player.emitWithAck('host:start', { id: left.id, hostKey: left.hostKey })).ok).toBe(true);
    player.disconnect();
    await eventually(async () => (await json<ExhibitionSnapshot>(`${s.url}/api/exhibitions/${left.id}`)).status === 'aborted');
    const ended = await json<ExhibitionSnapshot>(`${s.url}/api/exhibitions/${left.id}`);
    expect(ended.boards[0].end?.result).toBe('*');
    expect(ended.boards[0].end?.reason).toBe('abandoned');
    expect((await json<ExhibitionSnapshot>(`${s.url}/api/exhibitions/${kept.id}`)).status).toBe('open');
    expect((await health(s.url)).running).toBe(0); // its engine is gone with it
  });
});

describe('ended exhibitions', () => {
  it('leave memory when they end and are loaded on demand; a restart loads only those not over', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'simul-ended-'));
    const boot = async () => {
      const app = await createApp({
        clock: realClock,
        createBrain: async () => new FastBrain({ clock: realClock }),
        store: new SqliteStore(path.join(dataDir, 'simul.db')),
        log: createLogger('silent'),
        limits: UNLIMITED,
      });
      const url = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
      return { app, url };
    };
    const first = await boot();
    const ended = await createExhibition(first.url, { name: 'Over', boards: 1, thinkSeconds: 30 });
    const open = await createExhibition(first.url, { name: 'Still open', boards: 1 });
    const c = await connect(first.url);
    expect((await c.emitWithAck('seat:take', { id: ended.id, name: 'Ann' })).ok).toBe(true);
    expect((await c.emitWithAck('host:start', { id: ended.id, hostKey: ended.hostKey })).ok).toBe(true);
    expect((await c.emitWithAck('host:end', { id: ended.id, hostKey: ended.hostKey })).ok).toBe(true);
    c.disconnect();
    expect(first.app.rooms.all().map((r) => r.id)).toEqual([open.id]);
    await first.app.close();

    const second = await boot();
    try {
      expect(second.app.rooms.get(ended.id)).toBeUndefined(); // on disk, not in memory
      const lobby = await json<LobbyPage>(`${second.url}/api/exhibitions`);
      expect(lobby.exhibitions.map((x) => [x.name, x.status])).toEqual([['Still open', 'open'], ['Over', 'aborted']]);
      const again = await json<ExhibitionSnapshot>(`${second.url}/api/exhibitions/${ended.id}`);
      expect(again.status).toBe('aborted');
      expect(again.boards[0].opponent).toBe('Ann');
    } finally {
      await second.app.close();
    }
  });
});

describe('per-address limits', () => {
  it('caps the sockets one address holds open', async () => {
    const s = await server({ limits: { maxSocketsPerIp: 3 } });
    const held = [await s.client(), await s.client(), await s.client()];
    await expect(connect(s.url)).rejects.toThrow();
    held[0].disconnect();
    await eventually(async () => (await health(s.url)).sockets === 2);
    expect((await s.client()).connected).toBe(true);
  });

  it('counts by the address a trusted balancer forwards, and ignores that header otherwise', async () => {
    const from = (url: string, address: string) => {
      const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { 'x-forwarded-for': `203.0.113.9, ${address}` } });
      return new Promise<Client>((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    };
    const behind = await server({ limits: { maxSocketsPerIp: 1 }, trustProxy: true });
    const held = [await from(behind.url, '198.51.100.1'), await from(behind.url, '198.51.100.2')];
    await expect(from(behind.url, '198.51.100.1')).rejects.toThrow();

    const exposed = await server({ limits: { maxSocketsPerIp: 1 } });
    held.push(await from(exposed.url, '198.51.100.1'));
    await expect(from(exposed.url, '198.51.100.2')).rejects.toThrow();
    for (const socket of held) socket.disconnect();
  });

  it('limits the commands of one address over all its sockets', async () => {
    const s = await server({ limits: { commandsPerSecondPerIp: 5 } });
    const { id } = await createExhibition(s.url, { name: 'Many sockets', boards: 1 });
    const sockets = await Promise.all(Array.from({ length: 3 }, () => s.client()));
    // 8 each: well within one socket's own limit, 24 together: past the address's
    const answers = (await Promise.all(sockets.map((c) => Promise.all(Array.from({ length: 8 }, () => c.emitWithAck('exhibition:watch', { id })))))).flat();
    expect(answers.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
  });

  it('caps the seats one address takes in an exhibition; the host may raise it and remove several at once', async () => {
    const s = await server();
    const res = await fetch(`${s.url}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Crowd","boards":10}' });
    const { id, hostKey } = (await res.json()) as CreatedExhibition;
    const c = await s.client();
    for (let i = 1; i <= 4; i++) expect((await c.emitWithAck('seat:take', { id, name: `P${i}` })).ok).toBe(true);
    const fifth = await c.emitWithAck('seat:take', { id, name: 'P5' });
    expect(!fifth.ok && fifth.error.code).toBe('EXHIBITION_FULL');
    expect(!fifth.ok && fifth.error.message).toMatch(/4 seats from one network address/);

    expect((await c.emitWithAck('host:configure', { id, hostKey, config: { seatsPerAddress: 6 } })).ok).toBe(true);
    const granted = (await c.emitWithAck('seat:take', { id, name: 'P5' })) as SeatGranted & { ok: boolean };
    expect(granted.ok).toBe(true);

    const removed = await c.emitWithAck('host:kickMany', { id, hostKey, tables: [1, 3, 5] });
    expect(removed.ok && removed.removed).toEqual([1, 3, 5]);
    const watched = await c.emitWithAck('host:watch', { id, hostKey });
    expect(watched.ok && watched.seats.map((x: SeatInfo) => x.opponent)).toEqual(['P2', 'P4']);
  });
});

describe('origins', () => {
  const attempt = (url: string, origin: string) =>
    new Promise<boolean>((resolve) => {
      const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { Origin: origin } });
      s.once('connect', () => {
        s.disconnect();
        resolve(true);
      });
      s.once('connect_error', () => resolve(false));
    });

  it('accepts sockets from the page’s own origin and ALLOWED_ORIGINS, no other site', async () => {
    const s = await server({ limits: { allowedOrigins: ['https://friends.example'] } });
    expect(await attempt(s.url, 'https://evil.example')).toBe(false);
    expect(await attempt(s.url, s.url)).toBe(true);
    expect(await attempt(s.url, 'https://friends.example')).toBe(true);
  });
});

describe('HTTP answers', () => {
  it('carry security headers, compressed immutable assets, no source map, and a log line without the query', async () => {
    const clientDir = mkdtempSync(path.join(tmpdir(), 'simul-client-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Simul</title>');
    writeFileSync(path.join(clientDir, 'assets/index-abc123.js'), 'console.log("a board");\n'.repeat(4000));
    writeFileSync(path.join(clientDir, 'assets/index-abc123.js.map'), '{"version":3}');
    const lines: { method?: string; path?: string; status?: number }[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const s = await server({ clientDir, log });

    for (const at of ['/', '/healthz', '/api/exhibitions']) {
      const res = await fetch(`${s.url}${at}`);
      expect(res.headers.get('content-security-policy'), at).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options'), at).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), at).toBe('no-referrer');
    }
    for (const encoding of ['br', 'gzip']) {
      const js = await fetch(`${s.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': encoding } });
      expect(js.headers.get('content-encoding')).toBe(encoding);
      expect(js.headers.get('cache-control')).toMatch(/immutable/);
      expect(Number(js.headers.get('content-length'))).toBeLessThan(10_000); // 96 KB as written
      expect(await js.text()).toContain('console.log("a board");');
    }
    expect((await fetch(`${s.url}/assets/index-abc123.js.map`)).status).toBe(404);

    await fetch(`${s.url}/api/exhibitions/nope?hostKey=secret-in-a-query`);
    await eventually(async () => lines.some((l) => l.path === '/api/exhibitions/nope'));
    const line = lines.find((l) => l.path === '/api/exhibitions/nope');
    expect(line).toMatchObject({ method: 'GET', status: 404 });
    expect(JSON.stringify(lines)).not.toContain('secret-in-a-query');
  });
});
