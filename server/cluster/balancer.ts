import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const HAPROXY_CONFIG = path.join(root, 'deploy/haproxy.cfg');

/**
 * deploy/haproxy.cfg for processes on this machine: the compose file's replicas (a server template
 * found through Docker's DNS) become one server line per local port, and it listens on `port`.
 */
export function localConfig(port: number, host: string, appPorts: number[], template = readFileSync(HAPROXY_CONFIG, 'utf8')): string {
  const servers = appPorts.map((p, i) => `  server p${i + 1} 127.0.0.1:${p} check cookie p${i + 1}`).join('\n');
  const config = template
    .replace(/^\s*bind .*$/m, `  bind ${host.includes(':') ? `[${host}]` : host}:${port}`)
    .replace(/^\s*server-template .*$/m, servers)
    .replace(/\nresolvers docker\n[\s\S]*$/, '\n');
  if (!config.includes('server p1 ')) throw new Error(`${HAPROXY_CONFIG} has no server-template line to put the processes in.`);
  return config;
}

/** Debian's HAProxy (or HAPROXY's), or a clear word on how to get it. */
export function haproxyBinary(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.HAPROXY, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('HAProxy is not installed: `apt-get install haproxy` (or set HAPROXY to its path).');
  return found;
}

/** HAProxy in the foreground on `config`, written to a file of its own. */
export function startBalancer(config: string, stdio: 'inherit' | 'pipe'): ChildProcess {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'simul-haproxy-')), 'haproxy.cfg');
  writeFileSync(file, config);
  return spawn(haproxyBinary(), ['-db', '-f', file], { stdio: ['ignore', stdio, stdio] });
}
