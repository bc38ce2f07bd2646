import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisAnswers } from '../services.js';

// port 1 on this machine: nothing listens there
const missing = 'redis://127.0.0.1:1';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('tests that need a service', () => {
  it('are skipped, and say so, when the service does not answer', async () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await redisAnswers(missing)).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Redis at redis:\/\/127\.0\.0\.1:1 does not answer .*SKIPPED/));
  });

  it('fail under CI when the service does not answer', async () => {
    vi.stubEnv('CI', 'true');
    await expect(redisAnswers(missing)).rejects.toThrow(/under CI its tests must run/);
  });
});
