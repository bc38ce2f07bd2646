/**
 * `npm run bench:abuse`: what one hostile address costs the server. Against a server process (this
 * checkout's, or the one at --root), it seeds exhibitions, opens sockets that read and slow readers
 * that ask for the lobby and never read the answers, then reports the server's peak RSS and the
 * /healthz latency meanwhile; and how many exhibitions one address gets created in --create-seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { Histogram } from './histogram.js';
import { root as here } from './processes.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: here },
    exhibitions: { type: 'string', default: '2000' },
    sockets: { type: 'string', default: '2000' },
    'slow-readers': { type: 'string', default: '24' },
    seconds: { type: 'string', default: '45' },
    'create-seconds': { type: 'string', default: '10' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const n = (name: keyof typeof values) => Number(values[name]);
const extraEnv = Object.fromEntries((values.env as string[]).map((kv) => kv.split('=') as [string, string]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: values.root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SIMUL_BRAIN: 'fast', LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'simul-abuse-')), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, proc };
    } catch {
      await sleep(100);
    }
  }
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const create = (url: string, i: number) =>
  fetch(`${url}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Abuse ${i}`, boards: 8 }) });

/** Sockets that read, slow readers that do not, and the server's memory and health meanwhile. */
async function crowd(): Promise<void> {
  const { url, proc } = await startServer({ MAX_SOCKETS_PER_IP: '100000', CREATES_PER_MINUTE: '100000', COMMANDS_PER_SECOND_PER_IP: '100000', ...extraEnv });
  try {
    for (let i = 0; i < n('exhibitions'); i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => create(url, i + j)));
    const lobbyBytes = (await (await fetch(`${url}/api/exhibitions`)).text()).length;
    const idle = rssMb(proc.pid!);
    const sockets: Socket[] = [];
    let refused = 0;
    for (let i = 0; i < n('sockets'); i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, n('sockets') - i) }, () => new Promise<void>((resolve) => {
          const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
          s.once('connect', () => void s.emitWithAck('lobby:watch', {}).then(() => resolve()));
          s.once('connect_error', () => (refused++, resolve()));
          sockets.push(s);
        })),
      );
    }
    const slow: WebSocket[] = [];
    for (let i = 0; i < n('slow-readers'); i++) {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
      ws.on('error', () => {});
      ws.once('message', () => {
        ws.send('40');
        (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      });
      slow.push(ws);
    }
    // each slow reader asks for the lobby at the per-socket rate (15 a second) and reads nothing
    let ack = 0;
    const asking = setInterval(() => {
      for (const ws of slow) if (ws.readyState === WebSocket.OPEN) ws.send(`42${ack++}["lobby:watch",{}]`);
    }, 1000 / 15);
    const health = new Histogram();
    let failed = 0;
    let peak = 0;
    const until = Date.now() + n('seconds') * 1000;
    while (Date.now() < until) {
      const t = performance.now();
      try {
        await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) });
        health.record(performance.now() - t);
      } catch {
        failed++; // refused, reset or timed out: the server did not answer
      }
      peak = Math.max(peak, rssMb(proc.pid!));
      await sleep(100);
    }
    clearInterval(asking);
    const h = (await (await fetch(`${url}/healthz`)).json().catch(() => ({}))) as { sockets?: number };
    console.log(
      JSON.stringify({
        lobbyAnswerBytes: lobbyBytes,
        socketsRefused: refused,
        socketsAtEnd: h.sockets ?? 'not reported',
        rssIdleMb: Math.round(idle),
        rssPeakMb: Math.round(peak),
        healthzP50Ms: +health.quantile(0.5).toFixed(1),
        healthzP99Ms: +health.quantile(0.99).toFixed(1),
        healthzMaxMs: +health.max.toFixed(1),
        healthzFailed: failed,
        serverAlive: proc.exitCode === null,
      }),
    );
    for (const s of sockets) s.disconnect();
    for (const ws of slow) ws.terminate();
  } finally {
    proc.kill('SIGKILL');
  }
}

/** How many exhibitions one address gets created, as fast as it can ask, with the server's own limits. */
async function creation(): Promise<void> {
  const { url, proc } = await startServer(extraEnv);
  try {
    let accepted = 0;
    let refused = 0;
    const until = Date.now() + n('create-seconds') * 1000;
    for (let i = 0; Date.now() < until; i += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, j) => create(url, i + j)));
      for (const a of answers) (a.status === 201 ? accepted++ : refused++);
    }
    console.log(JSON.stringify({ createSeconds: n('create-seconds'), exhibitionsCreated: accepted, refused }));
  } finally {
    proc.kill('SIGKILL');
  }
}

await crowd();
await creation();
process.exit(0);
