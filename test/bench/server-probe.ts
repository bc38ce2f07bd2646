/**
 * Loaded into the real server process with `--import` (and `--expose-gc`): it answers the
 * orchestrator over IPC with the server's event-loop delay, CPU use and heap, so the server itself
 * needs no hook for the bench. When the orchestrator goes, the server is stopped as on SIGTERM.
 */
import type { ProbeCommands } from './commands.js';
import { serve } from './ipc.js';
import { probe } from './probe.js';

serve<ProbeCommands>(probe(), () => void process.kill(process.pid, 'SIGTERM'));
