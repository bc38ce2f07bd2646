import { defineConfig } from 'vitest/config';

/** Several server processes behind HAProxy on PostgreSQL and Redis. One file at a time: each starts a cluster. */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
