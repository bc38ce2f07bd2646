/**
 * The playground runs the simulator in a browser worker: nothing on that path may need Node (a
 * `node:` module, fs, a logger writing to a stream), or the page's simulator fails to start.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKER = path.join(ROOT, 'client/src/playground/simulator.worker.ts');
/** Packages a browser bundle can take as they are. */
const BROWSER_PACKAGES = new Set(['chess.js', 'zod']);

/** Every module the worker loads (type-only imports left out), and every package it names. */
function importsOf(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^import\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      if (m[1]) continue;
      const spec = m[2];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(ROOT, f)), packages: [...packages] };
}

it('loads the simulator in the worker without anything Node-only', () => {
  const { files, packages } = importsOf(WORKER);
  // the very modules `npm run simulate` runs
  expect(files).toEqual(expect.arrayContaining(['server/simulate/simulate.ts', 'server/exhibition/exhibition.ts', 'server/clock/virtual.ts', 'server/judit/fast-brain.ts', 'server/judit/loop.ts']));
  const builtins = new Set(builtinModules);
  const nodeOnly = packages.filter((p) => p.startsWith('node:') || builtins.has(p) || !BROWSER_PACKAGES.has(p));
  expect(nodeOnly).toEqual([]);
});
