import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** The client's JavaScript budget, gzip: the bar for a light client. */
const JS_BUDGET_BYTES = 150 * 1024;
const SERVER = process.env.SIMUL_SERVER ?? 'http://localhost:3000';

/**
 * Prints the gzip size of the production JavaScript and fails the build past the budget. The budget
 * is the game pages': the entry and what it imports up front. Chunks loaded later (the lesson's
 * playground and its simulator worker) are printed apart.
 */
function gzipBudget(): Plugin {
  return {
    name: 'simul-gzip-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const upFront = new Set<string>();
      const visit = (name: string) => {
        const file = bundle[name];
        if (upFront.has(name) || file?.type !== 'chunk') return;
        upFront.add(name);
        file.imports.forEach(visit);
      };
      for (const file of Object.values(bundle)) if (file.type === 'chunk' && file.isEntry) visit(file.fileName);
      let js = 0;
      let later = 0;
      let css = 0;
      for (const file of Object.values(bundle)) {
        const source = file.type === 'chunk' ? file.code : file.source;
        const size = gzipSync(typeof source === 'string' ? source : Buffer.from(source)).length;
        if (file.fileName.endsWith('.js')) {
          if (upFront.has(file.fileName)) js += size;
          else later += size;
        } else if (file.fileName.endsWith('.css')) css += size;
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      this.info(
        `client JavaScript: ${kb(js)} gzip (budget ${kb(JS_BUDGET_BYTES)}); loaded on /lesson only: ${kb(later)} gzip; CSS incl. board and pieces: ${kb(css)} gzip`,
      );
      if (js > JS_BUDGET_BYTES) this.error(`client JavaScript is ${kb(js)} gzip, over the ${kb(JS_BUDGET_BYTES)} budget`);
    },
  };
}

export default defineConfig({
  root: 'client',
  publicDir: false,
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // the server serves no source map either: the production client ships without one
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': SERVER,
      '/socket.io': { target: SERVER, ws: true },
      '/feed': { target: SERVER, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': SERVER,
      '/socket.io': { target: SERVER, ws: true },
      '/feed': { target: SERVER, ws: true },
    },
  },
  plugins: [gzipBudget()],
});
