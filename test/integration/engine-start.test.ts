import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { realClock } from '../../server/clock/real.js';
import { createLogger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { connect, createExhibition } from './harness.js';

describe('an engine that cannot start', () => {
  it('is reported to the host at the start, and the exhibition stays open', async () => {
    const app = await createApp({
      clock: realClock,
      createBrain: async () => {
        throw new Error('the engine file is missing');
      },
      store: new SqliteStore(':memory:'),
      log: createLogger('silent'),
    });
    const url = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
    try {
      const { id, hostKey } = await createExhibition(url, { name: 'No engine', boards: 1 });
      const s = await connect(url);
      expect((await s.emitWithAck('seat:take', { id, name: 'Fay' })).ok).toBe(true);
      const started = await s.emitWithAck('host:start', { id, hostKey });
      expect(started.ok).toBe(false);
      if (!started.ok) expect(started.error.message).toMatch(/engine could not start: the engine file is missing/);
      expect((await (await fetch(`${url}/api/exhibitions/${id}`)).json()).status).toBe('open');
      s.disconnect();
    } finally {
      await app.close();
    }
  });
});
