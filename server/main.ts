/** The composition root: settings from the environment, then one server for everything. */
import path from 'node:path';
import { createApp } from './app.js';
import { realClock } from './clock/real.js';
import { createBrain, ready } from './judit/brains.js';
import { createLogger } from './log.js';
import { settingsFromEnv } from './settings.js';
import { SqliteStore } from './store/sqlite.js';

const settings = settingsFromEnv();
const log = createLogger(settings.logLevel);
let store: SqliteStore;
try {
  store = new SqliteStore(path.join(settings.dataDir, 'simul.db'));
} catch (error) {
  log.fatal((error as Error).message);
  process.exit(1);
}
const app = createApp({
  clock: realClock,
  createBrain: async () => {
    const brain = createBrain(settings.brain, realClock);
    await ready(brain);
    return brain;
  },
  store,
  log,
  clientDir: settings.clientDir,
  limits: settings.limits,
  house: settings.house,
});

const port = await app.listen(settings.port, settings.host);
log.info({ port, host: settings.host, brain: settings.brain }, `Simul is serving on http://localhost:${port}`);

let closing = false;
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
