import { availableParallelism } from 'node:os';

/** What one server lets its visitors take: every cap on work and memory an anonymous client can cause. */
export interface Limits {
  /** Exhibitions running (sharing the engine pool) at once; past it `host:start` is SERVER_BUSY. */
  maxRunning: number;
  /** Open sockets from one address. */
  maxSocketsPerIp: number;
  /** Commands per second from one socket (the burst is twice that). */
  commandsPerSecondPerSocket: number;
  /** Commands per second from one address, over all its sockets (the burst is twice that). */
  commandsPerSecondPerIp: number;
  /** Exhibitions one address may create in a minute. */
  createsPerMinute: number;
  /** Open or running exhibitions with nobody connected end after this many minutes. */
  abandonMinutes: number;
  /** A socket whose unsent answers pass this many bytes is dropped: it is not reading. */
  maxUnsentBytes: number;
  /** Origins allowed to open a socket besides the page's own. */
  allowedOrigins: string[];
}

/**
 * A running exhibition asks for one engine search every think time (a node budget, a fraction of a
 * core's second); past some 20 a core the pool starts hurrying her moves.
 */
export function defaultMaxRunning(): number {
  return 20 * availableParallelism();
}

export const defaultLimits = (): Limits => ({
  maxRunning: defaultMaxRunning(),
  maxSocketsPerIp: 50,
  commandsPerSecondPerSocket: 15,
  commandsPerSecondPerIp: 60,
  createsPerMinute: 10,
  abandonMinutes: 30,
  maxUnsentBytes: 1024 * 1024,
  allowedOrigins: [],
});

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const d = defaultLimits();
  return {
    maxRunning: Math.floor(positive(env, 'MAX_RUNNING', d.maxRunning)),
    maxSocketsPerIp: Math.floor(positive(env, 'MAX_SOCKETS_PER_IP', d.maxSocketsPerIp)),
    commandsPerSecondPerSocket: positive(env, 'COMMANDS_PER_SECOND_PER_SOCKET', d.commandsPerSecondPerSocket),
    commandsPerSecondPerIp: positive(env, 'COMMANDS_PER_SECOND_PER_IP', d.commandsPerSecondPerIp),
    createsPerMinute: Math.floor(positive(env, 'CREATES_PER_MINUTE', d.createsPerMinute)),
    abandonMinutes: positive(env, 'ABANDON_MINUTES', d.abandonMinutes),
    maxUnsentBytes: Math.floor(positive(env, 'MAX_UNSENT_BYTES', d.maxUnsentBytes)),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  };
}
