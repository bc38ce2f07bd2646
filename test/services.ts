import { connect } from 'node:net';

/**
 * The outside services some tests need (PostgreSQL, Redis). A test file asks for one with
 * `await service('redis')` and runs its tests with `describe.skipIf(redis.skip)`: when the service
 * does not answer, the file says so plainly and skips; under CI (`CI=true`) a missing service
 * fails instead, so a green CI run has really run them.
 */
export type ServiceName = 'postgres' | 'redis';

export interface Service {
  /** Where the service is: TEST_DATABASE_URL / TEST_REDIS_URL, or the local default. */
  url: string;
  /** True when the service does not answer (and this is not CI): skip the tests that need it. */
  skip: boolean;
}

const LABEL: Record<ServiceName, string> = { postgres: 'PostgreSQL', redis: 'Redis' };

export function serviceUrl(name: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  return name === 'postgres'
    ? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
    : env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

const DEFAULT_PORT: Record<ServiceName, number> = { postgres: 5432, redis: 6379 };
const answered = new Map<string, Promise<boolean>>();

/** Whether something accepts a TCP connection at the URL's host and port (once per URL and run). */
export function answers(url: string, fallbackPort: number, timeoutMs = 2000): Promise<boolean> {
  let found = answered.get(url);
  if (!found) {
    found = new Promise<boolean>((resolve) => {
      const { hostname, port } = new URL(url);
      const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || fallbackPort) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
    answered.set(url, found);
  }
  return found;
}

/** The service for a test file: skip (said once, plainly) when it is missing, or fail under CI. */
export async function service(name: ServiceName, env: NodeJS.ProcessEnv = process.env): Promise<Service> {
  const url = serviceUrl(name, env);
  if (await answers(url, DEFAULT_PORT[name])) return { url, skip: false };
  const why = `${LABEL[name]} does not answer at ${url}`;
  if (env.CI === 'true') throw new Error(`${why}: CI must run the tests that need it (start the service, or set TEST_${name === 'postgres' ? 'DATABASE' : 'REDIS'}_URL).`);
  console.warn(`SKIPPED: ${why}; the tests that need it did not run.`);
  return { url, skip: true };
}
