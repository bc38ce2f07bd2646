import { Chess } from 'chess.js';
import { describe, expect, it } from 'vitest';
import type { ExhibitionSnapshot, SeatGranted } from '../../shared/protocol.js';
import { realClock } from '../../server/clock/real.js';
import type { Brain } from '../../server/judit/brain.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import { connect, createExhibition, startServer, until, refused, useServer } from './harness.js';

const server = useServer();

const snapshot = async (id: string) => (await (await fetch(`${server.url()}/api/exhibitions/${id}`)).json()) as ExhibitionSnapshot;


const post = (body: unknown) =>
  fetch(`${server.url()}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('moves in one form', () => {
  it('refuses a promotion letter on a move that promotes nothing, and the board stays as it was', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'Letters', boards: 1, juditColor: 'black', thinkSeconds: 0.01 });
    const p = await server.client();
    const seat = (await p.emitWithAck('seat:take', { id, name: 'Ann' })) as SeatGranted & { ok: true };
    expect((await p.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    refused(await p.emitWithAck('move:play', { id, token: seat.token, table: 1, ply: 0, uci: 'e2e4q' }), 'ILLEGAL_MOVE');
    expect((await snapshot(id)).boards[0].ply).toBe(0);
    const played = await p.emitWithAck('move:play', { id, token: seat.token, table: 1, ply: 0, uci: 'e2e4' });
    expect(played.ok && played.move.uci).toBe('e2e4');
  });
});

describe('an engine that fails on one position', () => {
  it('ends that game unfinished, says why, and Judit plays on at the other boards', async () => {
    // a brain that cannot think once 1. e4 is on the board, however often it starts afresh
    const poisoned = async (): Promise<Brain> => {
      const fast = new FastBrain({ clock: realClock });
      return {
        think: (request) => (request.moves.includes('e2e4') ? Promise.reject(new Error('Illegal move: e2e4q')) : fast.think(request)),
        reset: async () => {},
        close: () => fast.close(),
      };
    };
    const own = await startServer({ createBrain: poisoned });
    try {
      const { id, hostKey } = await createExhibition(own.url, { name: 'Poison', boards: 2, juditColor: 'black', thinkSeconds: 0.01 });
      const p = await connect(own.url);
      const seats: (SeatGranted & { ok: true })[] = [];
      for (const name of ['Ann', 'Bob']) seats.push((await p.emitWithAck('seat:take', { id, name })) as SeatGranted & { ok: true });
      expect((await p.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
      const play = (i: number, uci: string) => p.emitWithAck('move:play', { id, token: seats[i].token, table: seats[i].table, ply: 0, uci });
      expect((await play(0, 'e2e4')).ok).toBe(true);
      expect((await play(1, 'd2d4')).ok).toBe(true);
      // what a spectator sees once table 1 has ended and Judit has answered at table 2
      const watched = (await p.emitWithAck('exhibition:watch', { id })) as { snapshot: ExhibitionSnapshot };
      const boards = watched.snapshot.boards;
      p.on('board:update', ({ board }) => (boards[board.table - 1] = board));
      await until(p, () => boards[0].end !== null && boards[1].ply === 2);
      expect(boards[0].end).toMatchObject({ result: '*', reason: 'engineFailure', winner: null });
      expect(boards[1]).toMatchObject({ ply: 2, end: null }); // Judit answered 1. d4
      expect((await (await fetch(`${own.url}/api/exhibitions/${id}`)).json()).status).toBe('running');
      p.disconnect();
    } finally {
      await own.app.close();
    }
  });
});

describe('names', () => {
  it('refuses line breaks, NUL and invisible characters in a name, saying which rule, and takes lookalikes as taken', async () => {
    const { id } = await createExhibition(server.url(), { name: 'Names', boards: 4 });
    const c = await server.client();
    const invisible = /line breaks, control or invisible/;
    for (const name of ['Ann"]\n\n1. f3 e5 0-1\n\n[X "', 'A\u0000nn', 'Player\u200b Y', 'Ann\u202eeM', 'An\rn']) {
      refused(await c.emitWithAck('seat:take', { id, name }), 'BAD_REQUEST', invisible);
    }
    refused(await c.emitWithAck('seat:take', { id, name: 'x'.repeat(41) }), 'BAD_REQUEST', /At most 40 characters/);
    refused(await c.emitWithAck('seat:take', { id, name: '   ' }), 'BAD_REQUEST', /name is needed/);
    expect((await c.emitWithAck('seat:take', { id, name: '  Player Y ' })).ok).toBe(true);
    for (const name of ['player y', 'ＰＬＡＹＥＲ Ｙ', 'Player   Y']) refused(await c.emitWithAck('seat:take', { id, name }), 'NAME_TAKEN');
    // one spelling of an accented name: the composed and decomposed forms are the same name
    const composed = await c.emitWithAck('seat:take', { id, name: 'Zo\u0065\u0301' });
    expect(composed.ok && composed.board.opponent).toBe('Zo\u00e9');
    refused(await c.emitWithAck('seat:take', { id, name: 'Zo\u00e9' }), 'NAME_TAKEN');
    expect((await snapshot(id)).boards.map((b) => b.opponent)).toEqual(['Player Y', 'Zoé']);
  });

  it('refuses an exhibition name that would break the PGN', async () => {
    const res = await post({ name: 'Club"]\n\n1. f3 e5 0-1\n\n[X "', boards: 2 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/line breaks/);
  });
});

describe('the PGN of hostile names', () => {
  it('reads back game by game with chess.js, with the names as typed and no move that was not played', async () => {
    // every PGN special that a one-line name may hold: brackets, braces, a semicolon, movetext, backslash
    const event = 'Club ] {1. f3 e5 0-1} ; \\ [X';
    const { id, hostKey } = await createExhibition(server.url(), { name: event, boards: 2, juditColor: 'black', thinkSeconds: 0.01 });
    const p = await server.client();
    const names = ['Ann] 1. f3 e5 0-1 [X', 'Bob \\ {'];
    const seats: (SeatGranted & { ok: true })[] = [];
    for (const name of names) seats.push((await p.emitWithAck('seat:take', { id, name })) as SeatGranted & { ok: true });
    expect((await p.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    for (const s of seats) expect((await p.emitWithAck('move:play', { id, token: s.token, table: s.table, ply: 0, uci: 'e2e4' })).ok).toBe(true);
    expect((await p.emitWithAck('host:end', { id, hostKey })).ok).toBe(true);

    const all = await (await fetch(`${server.url()}/api/exhibitions/${id}/pgn`)).text();
    const games = all.split(/\n\n(?=\[Event )/);
    expect(games).toHaveLength(2);
    games.forEach((pgn, i) => {
      const chess = new Chess();
      chess.loadPgn(pgn);
      const headers = chess.getHeaders();
      // chess.js reads tag values as written: undo the standard's backslash escape
      const unescape = (v: string | undefined) => v?.replace(/\\(.)/g, '$1');
      expect(unescape(headers.White)).toBe(names[i]);
      expect(unescape(headers.Event)).toBe(event);
      expect(headers.Termination).toBe('unterminated');
      expect(chess.history()[0]).toBe('e4'); // the opponent's move; no forged 1. f3
      expect(chess.history()).not.toContain('f3');
    });
  });

  it('escapes a quote in a tag value as the standard says', async () => {
    const { id } = await createExhibition(server.url(), { name: 'Say "cheese"', boards: 1 });
    const c = await server.client();
    expect((await c.emitWithAck('seat:take', { id, name: 'Ann "the Hammer"' })).ok).toBe(true);
    const pgn = await (await fetch(`${server.url()}/api/exhibitions/${id}/boards/1/pgn`)).text();
    const [tags, movetext] = pgn.split('\n\n');
    for (const line of tags.split('\n')) expect(line).toMatch(/^\[[A-Za-z]+ "(?:[^"\\]|\\["\\])*"\]$/);
    expect(tags).toContain('[Event "Say \\"cheese\\""]');
    expect(tags).toContain('[Black "Ann \\"the Hammer\\""]');
    expect(movetext.trim()).toBe('*');
  });
});

describe('host:configure', () => {
  it('changes only the settings it names', async () => {
    const { id, hostKey } = await createExhibition(server.url(), {
      name: 'Club night',
      boards: 4,
      juditColor: 'black',
      thinkSeconds: 7,
      walkSeconds: 2,
      order: 'urgent',
      elo: 1500,
    });
    const h = await server.client();
    const before = (await snapshot(id)).config;
    const answer = await h.emitWithAck('host:configure', { id, hostKey, config: { boards: 6 } });
    expect(answer.ok && answer.config).toEqual({ ...before, boards: 6 });
    expect((await snapshot(id)).config).toEqual({ ...before, boards: 6 });
    const noElo = await h.emitWithAck('host:configure', { id, hostKey, config: { elo: null } });
    expect(noElo.ok && noElo.config).toEqual({ ...before, boards: 6, elo: null });
  });
});
