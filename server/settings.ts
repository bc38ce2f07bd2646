import path from 'node:path';
import { type Limits, limitsFromEnv } from './limits.js';

/** The server's settings, from the environment. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  /** `fast` selects the deterministic brain (development, tests); Stockfish otherwise. */
  brain: 'stockfish' | 'fast';
  /** Where the built client lives. */
  clientDir: string;
  limits: Limits;
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
    clientDir: path.resolve(env.CLIENT_DIR ?? 'dist/client'),
    limits: limitsFromEnv(env),
  };
}
