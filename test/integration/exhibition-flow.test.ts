import { Chess } from 'chess.js';
import { describe, expect, it } from 'vitest';
import type { BoardSummary } from '../../shared/domain.js';
import type { ExhibitionSnapshot, SeatGranted } from '../../shared/protocol.js';
import { chooseMove, seededRandom } from '../../server/judit/fast-brain.js';
import { type Client, createExhibition, until, useServer } from './harness.js';

const server = useServer();
const client = server.client;

/** An opponent that answers Judit with a seeded legal move and stops after `moves`, then `finish`es. */
function opponent(socket: Client, id: string, seat: SeatGranted, plan: { moves: number; finish: 'resign' | 'draw' }) {
  const state = {
    token: seat.token,
    table: seat.table,
    played: 0,
    busy: false,
    board: seat.board as BoardSummary,
    socket,
    /** What went wrong in the bot's play, checked at the end of the test. */
    errors: [] as unknown[],
  };
  const act = async () => {
    const b = state.board;
    if (state.busy || b.end || b.turn === b.juditColor) return;
    state.busy = true;
    const used = state.socket;
    try {
      if (state.played >= plan.moves && plan.finish === 'resign') {
        const r = await state.socket.emitWithAck('game:resign', { id, token: state.token, table: state.table });
        expect(r.ok).toBe(true);
        return;
      }
      const move = chooseMove(new Chess(b.fen), seededRandom(state.table, b.fen), true);
      const r = await state.socket.emitWithAck('move:play', { id, token: state.token, table: state.table, ply: b.ply, uci: move.uci });
      expect(r.ok).toBe(true);
      state.played++;
      // one offer at a time, as on the play page: a second one sent while the first is pending may
      // reach the board after Judit accepted the first, and be refused because the game is over
      const mayOffer = !state.board.drawOffered && state.board.end === null;
      if (state.played >= plan.moves && plan.finish === 'draw' && mayOffer) {
        const d = await state.socket.emitWithAck('game:offerDraw', { id, token: state.token, table: state.table });
        expect(d.ok).toBe(true);
      }
    } catch (error) {
      // a command in flight on a connection we dropped on purpose is never answered
      if (used === state.socket && used.connected) state.errors.push(error);
    } finally {
      if (used === state.socket) state.busy = false;
    }
    void act(); // Judit may have answered while we waited for our ack
  };
  const listen = (s: Client) =>
    s.on('board:update', ({ board }) => {
      if (board.table !== state.table || board.ply < state.board.ply) return;
      state.board = board;
      void act();
    });
  listen(socket);
  return {
    state,
    /** Swap in a new connection (after a drop), reclaim the seat and play on from where the board is. */
    async reconnect(s: Client): Promise<SeatGranted> {
      state.socket = s;
      listen(s); // before claiming: updates may arrive in the same packet as the answer
      const again = await s.emitWithAck('seat:claim', { id, token: state.token });
      if (!again.ok) throw new Error(again.error.message);
      if (again.board.ply > state.board.ply) state.board = again.board;
      state.busy = false; // a command in flight on the dropped connection is never answered
      void act();
      return again;
    },
  };
}

describe('an exhibition over real sockets', () => {
  it('plays three boards to their ends, every spectator sees every move in order, PGNs replay to the same positions', async () => {
    const created = await createExhibition(server.url(), { name: 'Integration simul', boards: 3, thinkSeconds: 0.02, drawMinMove: 1 });
    const { id, hostKey } = created;
    expect(created.snapshot.status).toBe('open');

    const watchers = [await client(), await client()];
    const seen: BoardSummary[][] = [[], []];
    for (const [i, w] of watchers.entries()) {
      w.on('board:update', ({ board }) => seen[i].push(board));
      const r = await w.emitWithAck('exhibition:watch', { id });
      expect(r.ok).toBe(true);
    }

    const players = [await client(), await client(), await client()];
    const seats: SeatGranted[] = [];
    for (const [i, p] of players.entries()) {
      const r = await p.emitWithAck('seat:take', { id, name: `Player ${i + 1}` });
      if (!r.ok) throw new Error(r.error.message);
      seats.push(r);
    }
    expect(seats.map((s) => s.table)).toEqual([1, 2, 3]);

    const bots = [
      opponent(players[0], id, seats[0], { moves: 12, finish: 'resign' }),
      opponent(players[1], id, seats[1], { moves: 1, finish: 'draw' }),
      opponent(players[2], id, seats[2], { moves: 6, finish: 'resign' }),
    ];

    const host = await client();
    expect((await host.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);

    // table 1 drops its connection mid-game and reclaims the seat with its token
    await until(players[0], () => bots[0].state.played >= 4);
    players[0].disconnect();
    const again = await bots[0].reconnect(await client());
    expect(again.table).toBe(1);
    expect(again.board.moves.length).toBe(again.board.ply);
    expect(again.board.moves.filter((m) => m.by === 'opponent').length).toBeGreaterThanOrEqual(4);

    const final = await new Promise<ExhibitionSnapshot>((resolve, reject) => {
      const deadline = Date.now() + 15_000;
      const check = async () => {
        const snap = (await (await fetch(`${server.url()}/api/exhibitions/${id}`)).json()) as ExhibitionSnapshot;
        if (snap.status === 'finished') resolve(snap);
        else if (Date.now() > deadline) {
          const boards = snap.boards.map((b) => ({ t: b.table, ply: b.ply, turn: b.turn, end: b.end?.reason, offer: b.drawOffered }));
          reject(new Error(`not finished: ${JSON.stringify({ boards, givers: snap.givers, bots: bots.map((b) => ({ played: b.state.played, busy: b.state.busy, ply: b.state.board.ply })) })}`));
        } else setTimeout(check, 50);
      };
      void check();
    });

    expect(final.boards.map((b) => [b.end?.result, b.end?.reason])).toEqual([
      ['1-0', 'resignation'],
      ['1/2-1/2', 'agreement'],
      ['1-0', 'resignation'],
    ]);
    expect(final.stats.results).toEqual({ wins: 2, draws: 1, losses: 0, unfinished: 0 });
    expect(bots.flatMap((b) => b.state.errors)).toEqual([]);

    // both spectators saw the same updates, every move of every board in order, ending on the final position
    await until(watchers[1], () => seen[1].length === seen[0].length && seen[0].filter((b) => b.end).length === 3);
    expect(seen[1]).toEqual(seen[0]);
    for (const board of final.boards) {
      const updates = seen[0].filter((b) => b.table === board.table);
      const plies = [...new Set(updates.map((b) => b.ply))];
      expect(plies).toEqual(Array.from({ length: board.ply }, (_, i) => i + 1));
      expect(updates.at(-1)!.fen).toBe(board.fen);
    }

    // the PGN of each board, and of the whole exhibition, re-reads to the same final positions
    const all = await (await fetch(`${server.url()}/api/exhibitions/${id}/pgn`)).text();
    const games = all.split(/\n(?=\[Event )/);
    expect(games).toHaveLength(3);
    for (const board of final.boards) {
      const res = await fetch(`${server.url()}/api/exhibitions/${id}/boards/${board.table}/pgn`);
      expect(res.headers.get('content-type')).toContain('application/x-chess-pgn');
      const pgn = await res.text();
      expect(pgn).toContain(`[Round "${board.table}"]`);
      expect(pgn).toContain(`[Result "${board.end!.result}"]`);
      const chess = new Chess();
      chess.loadPgn(pgn);
      expect(chess.fen()).toBe(board.fen);
      const fromAll = new Chess();
      fromAll.loadPgn(games[board.table - 1]);
      expect(fromAll.fen()).toBe(board.fen);
    }
  });
});
