import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * The services some tests need (PostgreSQL, Redis): their tests run when the service answers and
 * are skipped, said plainly, when it does not; under CI (`CI=true`) a missing service fails the run.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether `name` answers `probe`; a missing one is said so, or fails the run under CI. */
export async function serviceAnswers(name: string, probe: () => Promise<void>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    const why = `${name} does not answer (${(error as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${why}; under CI its tests must run, not be skipped.`);
    console.warn(`${why}: its tests are SKIPPED.`);
    return false;
  }
}

export function postgresAnswers(): Promise<boolean> {
  return serviceAnswers(`PostgreSQL at ${POSTGRES_URL}`, async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => {});
    }
  });
}

export function redisAnswers(url = REDIS_URL): Promise<boolean> {
  return serviceAnswers(`Redis at ${url}`, async () => {
    const client = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
    } finally {
      client.disconnect();
    }
  });
}

/** A schema name no other run uses: tests side by side each keep their own tables. */
export function freshSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}

/** Drops the schemas a test file made. */
export async function dropSchemas(schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A database of its own on the test PostgreSQL (for a cluster of processes, or a bench): its URL and name. */
export async function freshDatabase(prefix: string): Promise<{ url: string; name: string }> {
  const name = freshSchema(prefix);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

/** Drops a database `freshDatabase` made, whoever is still connected to it. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Deletes every Redis key under `prefix`. */
export async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
