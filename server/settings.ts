import { availableParallelism } from 'node:os';
import path from 'node:path';
import { type Limits, limitsFromEnv } from './limits.js';
import { DEFAULT_REDIS_PREFIX } from './redis.js';
import type { HouseSettings } from './rooms/directory.js';

/** The server's settings, from the environment. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  /** `fast` selects the deterministic brain (development, tests); Stockfish otherwise. */
  brain: 'stockfish' | 'fast';
  /** Stockfish processes shared by every exhibition (the engine pool). */
  engines: number;
  /** How much lower the engines' CPU priority is than the server's (nice, 0–19). */
  engineNice: number;
  /** Where the built client lives. */
  clientDir: string;
  limits: Limits;
  house: HouseSettings;
  /** PostgreSQL, shared by several server processes; null keeps the embedded SQLite file in dataDir. */
  databaseUrl: string | null;
  /** How long an exhibition's lease lasts unrenewed: how soon another process takes over from a dead one. */
  leaseSeconds: number;
  /** Several processes share broadcasts and limits through this Redis; one process alone when absent. */
  redisUrl?: string;
  /** Prefix of every Redis key, stream and channel this server uses. */
  redisPrefix: string;
  /** Behind a balancer: trust its X-Forwarded-For for the client's address. */
  trustProxy: boolean;
}

/** A whole number (or a decimal, when `decimals`) from the environment within bounds, or the default. */
function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, decimals = false): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (!decimals && !Number.isInteger(n))) {
    throw new Error(`${name} must be a ${decimals ? 'number' : 'whole number'} from ${min} to ${max}, not "${raw}"`);
  }
  return n;
}

/** The house exhibition: HOUSE_BOARDS=0 turns it off; HOUSE_ELO=0 lets Judit play at full strength. */
export function houseFromEnv(env: NodeJS.ProcessEnv = process.env): HouseSettings {
  const elo = numberFrom(env, 'HOUSE_ELO', 1500, 0, 3190);
  if (elo !== 0 && elo < 1320) throw new Error(`HOUSE_ELO must be 0 (full strength) or from 1320 to 3190, not "${env.HOUSE_ELO}"`);
  return {
    boards: numberFrom(env, 'HOUSE_BOARDS', 8, 0, 1000),
    elo: elo === 0 ? null : elo,
    thinkSeconds: numberFrom(env, 'HOUSE_THINK_SECONDS', 1, 0.05, 600, true),
    moveLimitSeconds: numberFrom(env, 'HOUSE_MOVE_LIMIT_SECONDS', 300, 10, 86_400),
  };
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    brain: env.SIMUL_BRAIN === 'fast' ? 'fast' : 'stockfish',
    engines: numberFrom(env, 'ENGINES', availableParallelism(), 1, 256),
    engineNice: numberFrom(env, 'ENGINE_NICE', 5, 0, 19),
    clientDir: path.resolve(env.CLIENT_DIR ?? 'dist/client'),
    limits: limitsFromEnv(env),
    house: houseFromEnv(env),
    databaseUrl: env.DATABASE_URL || null,
    leaseSeconds: numberFrom(env, 'LEASE_SECONDS', 5, 2, 600),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || DEFAULT_REDIS_PREFIX,
    trustProxy: env.TRUST_PROXY === '1',
  };
}
