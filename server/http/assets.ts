import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import express, { type Request, type Router } from 'express';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Vite names every built asset after its content hash: such a file never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const COMPRESSIBLE = /\.(js|css|svg|json|html|txt)$/;

interface Encoded {
  br: Buffer;
  gzip: Buffer;
  raw: Buffer;
}

/**
 * The built client: hashed assets compressed once (in memory, the first time each is asked for)
 * and cached for ever by browsers; source maps are not served.
 */
export function clientAssets(clientDir: string): Router {
  const assetsDir = path.join(clientDir, 'assets');
  const encoded = new Map<string, Promise<Encoded | null>>();
  const router = express.Router();

  router.use((req, res, next) => (req.path.endsWith('.map') ? res.status(404).end() : next()));

  router.get('/assets/:file', (req, res, next) => {
    const file = path.basename(req.params.file);
    if (!COMPRESSIBLE.test(file)) return next();
    let entry = encoded.get(file);
    if (!entry) {
      entry = encode(path.join(assetsDir, file));
      encoded.set(file, entry);
    }
    entry.then((e) => {
      if (!e) {
        encoded.delete(file); // not there (yet): never cache a miss a build might fill
        return next();
      }
      const encoding = preferred(req);
      res.type(path.extname(file)).set('Cache-Control', IMMUTABLE).vary('Accept-Encoding');
      if (encoding !== 'identity') res.set('Content-Encoding', encoding);
      res.send(encoding === 'br' ? e.br : encoding === 'gzip' ? e.gzip : e.raw);
    }, next);
  });

  router.use('/assets', express.static(assetsDir, { index: false, immutable: true, maxAge: '365d' }));
  router.use(express.static(clientDir, { index: false, maxAge: 0 }));
  return router;
}

async function encode(file: string): Promise<Encoded | null> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch {
    return null;
  }
  const [br, gz] = await Promise.all([
    brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    gzipped(raw, { level: 9 }),
  ]);
  return { raw, br, gzip: gz };
}

function preferred(req: Request): 'br' | 'gzip' | 'identity' {
  const accepted = req.acceptsEncodings('br', 'gzip', 'identity');
  return accepted === 'br' || accepted === 'gzip' ? accepted : 'identity';
}
