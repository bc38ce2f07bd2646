import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, createExhibition } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');
let server: ChildProcess | null = null;

afterEach(() => {
  server?.kill('SIGKILL');
  server = null;
});

/** `npm start`'s server process on a free port; resolves with its URL once it serves. */
async function startProcess(env: Record<string, string> = {}): Promise<{ url: string; proc: ChildProcess; output: () => string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SIMUL_BRAIN: 'fast', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'simul-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = proc;
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, proc, output: () => out };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not start:\n${out}`);
}

describe('the server process', () => {
  it('shuts down cleanly on SIGTERM: Judit stops, sockets close, exit code 0', async () => {
    const { url, proc, output } = await startProcess();
    const { id, hostKey } = await createExhibition(url, { name: 'Shutdown', boards: 1, thinkSeconds: 0.05 });
    const s = await connect(url);
    expect((await s.emitWithAck('seat:take', { id, name: 'Eve' })).ok).toBe(true);
    expect((await s.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    const disconnected = new Promise((resolve) => s.on('disconnect', resolve));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    await disconnected;
    const log = output();
    expect(log).toContain('shutting down');
    expect(log).not.toContain(hostKey); // secrets never reach the log
    expect(log).toMatch(/exhibition created/);
  });
});
