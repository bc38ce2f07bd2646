/** The composition root: settings from the environment, then one server for everything. */
import { hostname } from 'node:os';
import path from 'node:path';
import { createApp } from './app.js';
import { realClock } from './clock/real.js';
import { createBrains } from './judit/brains.js';
import { createLogger } from './log.js';
import { connectRedis, redacted, type SharedRedis } from './redis.js';
import { settingsFromEnv } from './settings.js';
import { newId } from './secrets.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';

const settings = settingsFromEnv();
const log = createLogger(settings.logLevel);
let store: Store;
try {
  // PostgreSQL when given, shared with other processes; the embedded file otherwise, this process's alone
  store = settings.databaseUrl ? await PostgresStore.open(settings.databaseUrl) : new SqliteStore(path.join(settings.dataDir, 'simul.db'));
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}
const owner = `${hostname()}/${process.pid}/${newId()}`;
let redis: SharedRedis | undefined;
if (settings.redisUrl) {
  try {
    redis = await connectRedis(settings.redisUrl, settings.redisPrefix, log);
  } catch (error) {
    log.fatal((error as Error).message);
    process.exit(1);
  }
}
const brains = createBrains(settings.brain, realClock, settings.engines, { nice: settings.engineNice });
const app = await createApp({
  clock: realClock,
  createBrain: () => brains.forExhibition(),
  engines: brains.pool ?? undefined,
  store,
  log,
  clientDir: settings.clientDir,
  limits: settings.limits,
  house: settings.house,
  cluster: settings.databaseUrl ? { leaseSeconds: settings.leaseSeconds } : undefined,
  owner,
  redis,
  trustProxy: settings.trustProxy,
});

// one engine at once, so the server is ready (/readyz) before the first exhibition starts
brains.pool?.start().catch((error: unknown) => log.error({ err: error }, 'Judit’s engine could not start'));
const port = await app.listen(settings.port, settings.host);
log.info(
  {
    port,
    host: settings.host,
    brain: settings.brain,
    engines: settings.engines,
    store: settings.databaseUrl ? 'postgres' : 'sqlite',
    redis: redis ? redacted(settings.redisUrl ?? '') : null,
    owner,
  },
  `Simul is serving on http://localhost:${port}`,
);

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close();
  await redis?.close();
  await brains.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
