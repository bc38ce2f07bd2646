/** The REST side of the server: creating an exhibition, reading one, PGN downloads. */
import type { ExhibitionConfig } from '../../shared/config.js';
import type { WireError } from '../../shared/errors.js';
import type { ExhibitionSummary } from '../../shared/domain.js';
import type { CreatedExhibition, ExhibitionSnapshot } from '../../shared/protocol.js';
import type { Problem } from './link.js';

export type Fetched<T> = { ok: true; value: T } | { ok: false; error: Problem };

async function call<T>(path: string, init?: RequestInit): Promise<Fetched<T>> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: 'The server could not be reached.' } };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok && body !== null) return { ok: true, value: body as T };
  const error = (body as { error?: WireError } | null)?.error;
  return {
    ok: false,
    error: error ?? { code: 'INTERNAL', message: `The server answered ${res.status} ${res.statusText}.` },
  };
}

export function createExhibition(config: ExhibitionConfig): Promise<Fetched<CreatedExhibition>> {
  return call('/api/exhibitions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
}

export function fetchExhibition(id: string): Promise<Fetched<ExhibitionSnapshot>> {
  return call(`/api/exhibitions/${encodeURIComponent(id)}`);
}

/** The server's own exhibition taking seats now (NOT_FOUND when it keeps none). */
export function fetchHouse(): Promise<Fetched<ExhibitionSummary>> {
  return call('/api/house');
}

export const pgnUrl = (id: string, table?: number): string =>
  table === undefined
    ? `/api/exhibitions/${encodeURIComponent(id)}/pgn`
    : `/api/exhibitions/${encodeURIComponent(id)}/boards/${table}/pgn`;
