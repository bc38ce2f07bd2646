import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import type { ExhibitionSnapshot, SeatGranted } from '../../shared/protocol.js';
import { createExhibition, useServer } from './harness.js';

const server = useServer();
const client = server.client;

const snapshot = async (id: string) => (await (await fetch(`${server.url()}/api/exhibitions/${id}`)).json()) as ExhibitionSnapshot;
/** What must not change when a command is refused. */
const state = (s: ExhibitionSnapshot) => ({ status: s.status, boards: s.boards, config: s.config });

function refused(result: { ok: boolean; error?: { code: ErrorCode; message: string } }, code: ErrorCode): void {
  expect(result.ok).toBe(false);
  expect(result.error?.code).toBe(code);
  expect(result.error?.message.length).toBeGreaterThan(0);
}

describe('bad input over the socket', () => {
  it('answers every error code, and nothing changes', async () => {
    // Judit thinks for a long time, so the boards stay still while we probe them
    const { id, hostKey } = await createExhibition(server.url(), { name: 'Errors', boards: 2, thinkSeconds: 30 });
    const a = await client();
    const b = await client();
    const c = await client();
    const seatA = (await a.emitWithAck('seat:take', { id, name: 'Ann' })) as SeatGranted & { ok: true };
    const seatB = (await b.emitWithAck('seat:take', { id, name: 'Bob' })) as SeatGranted & { ok: true };
    expect(seatA.ok && seatB.ok).toBe(true);

    refused(await c.emitWithAck('seat:take', { id, name: 'Cy' }), 'EXHIBITION_FULL');
    refused(await c.emitWithAck('seat:take', { id: 'nope', name: 'Cy' }), 'NOT_FOUND');
    refused(await c.emitWithAck('host:start', { id, hostKey: 'x'.repeat(32) }), 'FORBIDDEN');
    refused(await a.emitWithAck('move:play', { id, token: seatA.token, table: 1, ply: 0, uci: 'e2e4' }), 'WRONG_STATE');

    expect((await c.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    refused(await c.emitWithAck('host:start', { id, hostKey }), 'WRONG_STATE');
    // Judit (white) is thinking on table 1 for 30 s: table 1 is hers to move
    const before = state(await snapshot(id));

    refused(await a.emitWithAck('move:play', { id, token: seatA.token, table: 1, ply: 0, uci: 'e7e5' }), 'NOT_YOUR_TURN');
    refused(await a.emitWithAck('move:play', { id, token: seatA.token, table: 2, ply: 0, uci: 'e7e5' }), 'NOT_YOUR_SEAT');
    refused(await a.emitWithAck('move:play', { id, token: 'y'.repeat(32), table: 1, ply: 0, uci: 'e7e5' }), 'FORBIDDEN');
    refused(await a.emitWithAck('game:resign', { id, token: seatA.token, table: 2 }), 'NOT_YOUR_SEAT');
    refused(await c.emitWithAck('host:kick', { id, hostKey: seatA.token, table: 1 }), 'FORBIDDEN');
    // malformed payloads of every shape
    const raw = a as unknown as { emitWithAck(ev: string, ...args: unknown[]): Promise<{ ok: boolean; error?: { code: ErrorCode; message: string } }> };
    refused(await raw.emitWithAck('move:play', { id, token: seatA.token, table: 1, ply: 0, uci: 'e7e9' }), 'BAD_REQUEST');
    refused(await raw.emitWithAck('move:play', null), 'BAD_REQUEST');
    refused(await raw.emitWithAck('move:play', 'e2e4'), 'BAD_REQUEST');
    refused(await raw.emitWithAck('move:play', { id, token: seatA.token, table: 1, ply: -1, uci: 'e7e5', extra: 1 }), 'BAD_REQUEST');
    refused(await raw.emitWithAck('seat:take', { id, name: '' }), 'BAD_REQUEST');
    refused(await raw.emitWithAck('host:configure', { id, hostKey, config: { boards: 5000 } }), 'BAD_REQUEST');
    raw.emitWithAck('move:play'); // no payload, no ack: ignored, the server keeps serving
    expect(state(await snapshot(id))).toEqual(before);

    // Judit has not moved yet; the host pauses so the board stays hers and resumes later
    expect((await c.emitWithAck('host:pause', { id, hostKey })).ok).toBe(true);
    refused(await c.emitWithAck('host:configure', { id, hostKey, config: { thinkSeconds: 1 } }), 'WRONG_STATE');
    expect((await c.emitWithAck('host:resume', { id, hostKey })).ok).toBe(true);
    expect((await c.emitWithAck('host:end', { id, hostKey })).ok).toBe(true);
    refused(await a.emitWithAck('game:offerDraw', { id, token: seatA.token, table: 1 }), 'GAME_OVER');
    const ended = await snapshot(id);
    expect(ended.status).toBe('aborted');
    expect(ended.boards.every((x) => x.end?.result === '*')).toBe(true);
  });

  it('answers illegal, stale and repeated moves by ply, applying a retried move once', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'Moves', boards: 1, thinkSeconds: 0.01, juditColor: 'black' });
    const p = await client();
    const seat = (await p.emitWithAck('seat:take', { id, name: 'Dee' })) as SeatGranted & { ok: true };
    expect((await p.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    const move = { id, token: seat.token, table: 1 };
    refused(await p.emitWithAck('move:play', { ...move, ply: 0, uci: 'e2e5' }), 'ILLEGAL_MOVE');
    refused(await p.emitWithAck('move:play', { ...move, ply: 3, uci: 'e2e4' }), 'STALE_PLY');
    const first = await p.emitWithAck('move:play', { ...move, ply: 0, uci: 'e2e4' });
    expect(first.ok && !first.duplicate).toBe(true);
    const retry = await p.emitWithAck('move:play', { ...move, ply: 0, uci: 'e2e4' });
    expect(retry.ok && retry.duplicate).toBe(true);
    refused(await p.emitWithAck('move:play', { ...move, ply: 0, uci: 'd2d4' }), 'STALE_PLY');
    const after = await snapshot(id);
    expect(after.boards[0].ply).toBeGreaterThanOrEqual(1);
    const detail = await (await fetch(`${server.url()}/api/exhibitions/${id}/boards/1`)).json();
    expect(detail.moves.filter((m: { by: string }) => m.by === 'opponent')).toHaveLength(1);
  });

  it('limits a flood of messages per connection and keeps serving', async () => {
    const { id } = await createExhibition(server.url(), { name: 'Flood', boards: 1 });
    const s = await client();
    const answers = await Promise.all(Array.from({ length: 80 }, () => s.emitWithAck('exhibition:watch', { id })));
    const limited = answers.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
    expect(limited).toBeGreaterThan(0);
    expect(answers.filter((r) => r.ok).length).toBeGreaterThan(0);
    const other = await client();
    expect((await other.emitWithAck('exhibition:watch', { id })).ok).toBe(true);
  });

  it('drops an oversized message without harm', async () => {
    const { id } = await createExhibition(server.url(), { name: 'Big', boards: 1 });
    const s = await client();
    const closed = new Promise((resolve) => s.on('disconnect', resolve));
    s.emit('seat:take', { id, name: 'x'.repeat(100_000) }, () => {});
    await closed; // the server cuts a connection that sends more than it accepts
    const other = await client();
    expect((await other.emitWithAck('exhibition:watch', { id })).ok).toBe(true);
  });
});

describe('bad input over HTTP', () => {
  const post = (body: string, type = 'application/json') =>
    fetch(`${server.url()}/api/exhibitions`, { method: 'POST', headers: { 'content-type': type }, body });

  it('refuses malformed JSON, bad configs and unknown ids with a code, never a 500', async () => {
    for (const [body, code] of [
      ['{"name": "x", "boards": ', 'BAD_REQUEST'],
      ['{"name":"x","boards":0}', 'BAD_REQUEST'],
      ['{"name":"x","boards":4,"thinkSeconds":"fast"}', 'BAD_REQUEST'],
      ['{"name":"x","boards":4,"admin":true}', 'BAD_REQUEST'],
      ['[]', 'BAD_REQUEST'],
      ['null', 'BAD_REQUEST'],
      [JSON.stringify({ name: 'x'.repeat(30_000), boards: 2 }), 'BAD_REQUEST'],
    ] as const) {
      const res = await post(body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect((await res.json()).error.code).toBe(code);
    }
    const missing = await fetch(`${server.url()}/api/exhibitions/nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${server.url()}/api/exhibitions/nope/boards/1/pgn`)).status).toBe(404);
    const list = await (await fetch(`${server.url()}/api/exhibitions`)).json();
    expect(list.exhibitions.some((e: { name: string }) => e.name === 'x')).toBe(false);
  });

  it('creates with defaults, lists without secrets, answers health', async () => {
    const res = await post(JSON.stringify({ name: 'Friday simul', boards: 4 }));
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.hostKey.length).toBeGreaterThanOrEqual(22);
    expect(created.snapshot.config).toMatchObject({ boards: 4, juditColor: 'white', elo: 2735, order: 'table' });
    const list = await (await fetch(`${server.url()}/api/exhibitions`)).text();
    expect(list).toContain('Friday simul');
    expect(list).not.toContain(created.hostKey);
    const one = await (await fetch(`${server.url()}/api/exhibitions/${created.id}`)).text();
    expect(one).not.toContain(created.hostKey);
    expect((await (await fetch(`${server.url()}/healthz`)).json()).ok).toBe(true);
  });
});
