import { describe, expect, it, vi } from 'vitest';
import { service } from '../services.js';

// port 1 on this machine: nothing listens there
const missing = { TEST_REDIS_URL: 'redis://127.0.0.1:1' };

describe('tests that need a service', () => {
  it('are skipped, and say so, when the service does not answer', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const redis = await service('redis', { ...missing, CI: undefined });
    expect(redis.skip).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPED: Redis does not answer at redis://127.0.0.1:1'));
    warn.mockRestore();
  });

  it('fail under CI when the service does not answer', async () => {
    await expect(service('redis', { ...missing, CI: 'true' })).rejects.toThrow(/CI must run the tests that need it/);
  });
});
