import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, createExhibition, startProcess } from './harness.js';

let server: ChildProcess | null = null;

afterEach(() => {
  server?.kill('SIGKILL');
  server = null;
});

describe('the server process', () => {
  it('shuts down cleanly on SIGTERM: Judit stops, sockets close, exit code 0', async () => {
    const { url, proc, output } = await startProcess();
    server = proc;
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
