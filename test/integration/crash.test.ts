import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Chess } from 'chess.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardSummary, MoveRecord } from '../../shared/domain.js';
import type { BoardDetail, ExhibitionSnapshot, SeatGranted } from '../../shared/protocol.js';
import { chooseMove, seededRandom } from '../../server/judit/fast-brain.js';
import { type Client, connect, createExhibition, serverPort, startProcess } from './harness.js';

const procs: ChildProcess[] = [];
const sockets: Client[] = [];
afterEach(() => {
  for (const s of sockets) s.disconnect();
  for (const p of procs) p.kill('SIGKILL');
});

/** A player who moves whenever it is their turn and remembers every move they were told of. */
class Player {
  socket!: Client;
  board!: BoardSummary;
  /** Every move of this game as the player saw it, by ply. */
  readonly seen = new Map<number, MoveRecord>();
  /** Moves the server acknowledged to this player. */
  readonly acked: MoveRecord[] = [];
  resignAfter = Infinity;
  private busy = false;

  constructor(
    readonly id: string,
    readonly seat: SeatGranted,
  ) {}

  async connect(url: string, claim: boolean): Promise<void> {
    this.socket = await connect(url);
    sockets.push(this.socket);
    this.busy = false;
    this.socket.on('board:update', ({ board }) => {
      if (board.table !== this.seat.table || board.ply < this.board.ply) return;
      this.board = board;
      void this.act();
    });
    this.socket.on('board:move', ({ table, move }) => {
      if (table === this.seat.table) this.seen.set(move.ply, move);
    });
    if (claim) {
      const again = await this.socket.emitWithAck('seat:claim', { id: this.id, token: this.seat.token });
      if (!again.ok) throw new Error(again.error.message);
      this.learn(again.board);
    } else {
      this.learn(this.seat.board);
      // the seat was taken on another connection; claim it here to get this board's moves
      const again = await this.socket.emitWithAck('seat:claim', { id: this.id, token: this.seat.token });
      if (!again.ok) throw new Error(again.error.message);
    }
    void this.act();
  }

  private learn(detail: BoardDetail): void {
    for (const m of detail.moves) this.seen.set(m.ply, m);
    if (!this.board || detail.ply >= this.board.ply) this.board = detail;
  }

  private async act(): Promise<void> {
    const b = this.board;
    if (this.busy || b.end || b.turn === b.juditColor || !this.socket.connected) return;
    this.busy = true;
    try {
      const ref = { id: this.id, token: this.seat.token, table: this.seat.table };
      if (this.acked.length >= this.resignAfter) {
        await this.socket.timeout(5000).emitWithAck('game:resign', ref);
        return;
      }
      const move = chooseMove(new Chess(b.fen), seededRandom(this.seat.table, b.fen), true);
      const r = await this.socket.timeout(5000).emitWithAck('move:play', { ...ref, ply: b.ply, uci: move.uci });
      if (r.ok) {
        this.acked.push(r.move);
        this.seen.set(r.move.ply, r.move);
      }
    } catch {
      // no answer: the server went down with the move in flight
    } finally {
      this.busy = false;
    }
    void this.act();
  }
}

describe('a server killed mid-exhibition', () => {
  it('comes back with every acknowledged move, and the games go on to their end', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'simul-crash-'));
    const port = serverPort();
    const first = await startProcess({ DATA_DIR: dataDir }, port);
    procs.push(first.proc);
    const { id, hostKey } = await createExhibition(first.url, { name: 'Crash simul', boards: 4, thinkSeconds: 0.03 });

    const lobby = await connect(first.url);
    sockets.push(lobby);
    const players: Player[] = [];
    for (let i = 1; i <= 4; i++) {
      const seat = await lobby.emitWithAck('seat:take', { id, name: `Player ${i}` });
      if (!seat.ok) throw new Error(seat.error.message);
      players.push(new Player(id, seat));
    }
    for (const p of players) await p.connect(first.url, false);
    expect((await lobby.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);

    // moves in flight from every player; then the server dies without warning
    const total = () => players.reduce((n, p) => n + p.acked.length, 0);
    while (total() < 24) await new Promise((r) => setTimeout(r, 10));
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    const ackedBefore = players.map((p) => [...p.acked]);
    const seenBefore = players.map((p) => new Map(p.seen));

    const second = await startProcess({ DATA_DIR: dataDir }, port);
    procs.push(second.proc);
    const restored = (await (await fetch(`${second.url}/api/exhibitions/${id}`)).json()) as ExhibitionSnapshot;
    expect(restored.status).toBe('running');
    for (const [i, p] of players.entries()) {
      const detail = (await (await fetch(`${second.url}/api/exhibitions/${id}/boards/${p.seat.table}`)).json()) as BoardDetail;
      // every move a client was told of (its own acks, Judit's broadcasts) is on the server
      for (const m of ackedBefore[i]) expect(detail.moves[m.ply - 1]).toEqual(m);
      for (const [ply, m] of seenBefore[i]) expect(detail.moves[ply - 1]).toEqual(m);
    }

    // the players come back with their tokens and play on; each resigns a few moves later
    for (const p of players) {
      p.resignAfter = p.acked.length + 3;
      await p.connect(second.url, true);
    }
    const deadline = Date.now() + 20_000;
    let final: ExhibitionSnapshot;
    for (;;) {
      final = (await (await fetch(`${second.url}/api/exhibitions/${id}`)).json()) as ExhibitionSnapshot;
      if (final.status === 'finished' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(final.status).toBe('finished');
    expect(final.boards.every((b) => b.end?.reason === 'resignation')).toBe(true);

    // the PGN is the game each player saw, move for move
    for (const p of players) {
      const pgn = await (await fetch(`${second.url}/api/exhibitions/${id}/boards/${p.seat.table}/pgn`)).text();
      const chess = new Chess();
      chess.loadPgn(pgn);
      const board = final.boards.find((b) => b.table === p.seat.table)!;
      expect(chess.fen()).toBe(board.fen);
      const saw = [...p.seen.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m.san);
      expect(chess.history()).toEqual(saw);
    }
  });
});
