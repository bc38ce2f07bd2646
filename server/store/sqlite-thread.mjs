// The store's worker thread starts here: it registers tsx, as `tsx server/main.ts` does for the
// server, so the thread runs the same TypeScript (also under the test runner).
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-thread.ts');
