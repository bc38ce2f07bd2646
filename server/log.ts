import { pino } from 'pino';

export type Logger = pino.Logger;

/** One JSON line per meaningful event. Secrets never reach a log call. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, redact: ['hostKey', 'token', '*.hostKey', '*.token'] });
}
