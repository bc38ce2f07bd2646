/**
 * Opponents without a browser: each takes a seat through its own socket and answers Judit with a
 * random legal move after a human-ish pause, again after a pause is lifted.
 */
import { Chess } from 'chess.js';
import { io, type Socket } from 'socket.io-client';
import type { BoardSummary, ExhibitionStatus } from '../../shared/domain.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Sockets opened here, to close when the test is done. */
export class Sockets {
  private readonly all: Client[] = [];

  constructor(private readonly url: string) {}

  connect(): Promise<Client> {
    const s: Client = io(this.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.all.push(s);
    return new Promise((resolve, reject) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  }

  /** Seats `count` bots called Player 1…, ten at a time. */
  async bots(id: string, count: number, pause: { min: number; max: number }): Promise<void> {
    for (let n = 1; n <= count; n += 10) {
      await Promise.all(Array.from({ length: Math.min(10, count - n + 1) }, (_, i) => this.bot(id, n + i, pause)));
    }
  }

  close(): void {
    for (const s of this.all) s.close();
  }

  private async bot(id: string, n: number, pause: { min: number; max: number }): Promise<void> {
    const s = await this.connect();
    const seat = await s.emitWithAck('seat:take', { id, name: `Player ${n}` });
    if (!seat.ok) throw new Error(seat.error.message);
    const { table, token } = seat;
    let board: BoardSummary = seat.board;
    let status: ExhibitionStatus = seat.snapshot.status;
    let thinking = false;
    const maybeMove = () => {
      if (status !== 'running' || board.end || board.turn === board.juditColor || thinking) return;
      thinking = true;
      const at = board;
      setTimeout(() => {
        const moves = new Chess(at.fen).moves({ verbose: true });
        const m = moves[Math.floor(Math.random() * moves.length)];
        if (!m) return;
        s.emitWithAck('move:play', { id, token, table, ply: at.ply, uci: `${m.from}${m.to}${m.promotion ?? ''}` })
          .catch(() => undefined) // the test is over and the socket closed
          .finally(() => {
            thinking = false;
            maybeMove(); // refused while paused: again once it runs
          });
      }, pause.min + Math.random() * (pause.max - pause.min));
    };
    s.on('board:update', (msg) => {
      if (msg.id !== id || msg.board.table !== table || msg.board.ply < board.ply) return;
      board = msg.board;
      maybeMove();
    });
    s.on('exhibition:status', (msg) => {
      if (msg.id !== id) return;
      status = msg.status;
      maybeMove();
    });
  }
}
