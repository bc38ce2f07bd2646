import type { Limits } from '../server/limits.js';

/**
 * Tests and benchmarks come from one address, 127.0.0.1: the per-address caps are lifted unless a
 * test sets them to try them.
 */
export const UNLIMITED: Partial<Limits> = { maxSocketsPerIp: 100_000, commandsPerSecondPerIp: 100_000, createsPerMinute: 100_000 };

/** The same for a server process. */
export const UNLIMITED_ENV = { MAX_SOCKETS_PER_IP: '100000', COMMANDS_PER_SECOND_PER_IP: '100000', CREATES_PER_MINUTE: '100000' };
