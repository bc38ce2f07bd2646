/**
 * The opponents: N seats in one process, each over its own socket. A bot answers Judit's move after
 * a short think (its time, ±50 %), with a seeded legal move that never ends the game. For the bare
 * server, as many players' sockets that send the bots' moves again, at the same moments.
 */
import { Chess } from 'chess.js';
import { io, type Socket } from 'socket.io-client';
import { parseUci } from '../../shared/chess.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { playUci, ruleEnding } from '../../server/exhibition/raw-moves.js';
import { chooseMove, seededRandom } from '../../server/judit/fast-brain.js';
import type { BotCommands, SentMove } from './commands.js';
import { wallNow } from './histogram.js';
import { serve } from './ipc.js';
import { atTheirMoments } from './replay.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const sockets: Client[] = [];
/** The bare server's players, the nth standing for bot n + 1. */
const followers: Client[] = [];
const timers = new Set<NodeJS.Timeout>();
/** Every move the bots sent, until the orchestrator takes them. */
let sent: SentMove[] = [];
let moves = 0;
let refused = 0;

async function seat(url: string, id: string, n: number, thinkMs: number): Promise<void> {
  const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  sockets.push(socket);
  const granted = await socket.timeout(30_000).emitWithAck('seat:take', { id, name: `Bot ${n}` });
  if (!granted.ok) throw new Error(granted.error.message);
  const { table, token } = granted;
  const chess = new Chess(granted.board.startFen);
  const mine = granted.board.juditColor === 'white' ? 'b' : 'w';
  // the bots share the machine with the spectators' processes: each move costs them what the
  // server's own rules cost (chess.js's internal moves), not a full history and SAN per move
  let plies = 0;
  // a move is refused while the exhibition is paused: the bot holds it, as a player would, until play resumes
  let paused = false;
  let held: (() => void) | null = null;
  socket.on('exhibition:status', ({ status }) => {
    paused = status === 'paused';
    if (!paused && held) {
      const play = held;
      held = null;
      play();
    }
  });
  socket.on('board:move', ({ table: t, move }) => {
    if (t !== table || move.ply !== plies + 1) return;
    if (playUci(chess, parseUci(move.uci)!) === null) throw new Error(`table ${table}: ${move.uci} is not legal here`);
    plies++;
    if (move.by !== 'judit' || chess.turn() !== mine || ruleEnding(chess) !== null) return;
    const ply = move.ply;
    const fen = chess.fen();
    const play = () => {
      if (paused) return void (held = play);
      const choice = chooseMove(new Chess(fen), seededRandom(n, fen), true);
      const payload = { id, token, table, ply, uci: choice.uci };
      sent.push({ at: wallNow(), bot: n, fen, payload });
      socket.emit('move:play', payload, (answer) => {
        if (answer.ok) moves++;
        else if (answer.error.code === 'WRONG_STATE') held = play; // paused: sent again on resuming
        else refused++;
      });
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      play();
    }, thinkMs * (0.5 + Math.random()));
    timers.add(timer);
  });
}

serve<BotCommands>({
  async seat({ url, id, from, count, thinkMs }) {
    // a few connections at a time; bots are named from `from` on
    const last = from + count - 1;
    for (let n = from; n <= last; n += 20) {
      await Promise.all(Array.from({ length: Math.min(20, last - n + 1) }, (_, i) => seat(url, id, n + i, thinkMs)));
    }
    return { seated: sockets.length };
  },
  async follow({ url, count, watch }) {
    // the seated players' sockets, for the raw baseline: present in their exhibition's room, answering nothing
    for (let n = 0; n < count; n += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, count - n) }, async (_, i) => {
          const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
          });
          followers[n + i] = socket;
          const answer = await socket.timeout(30_000).emitWithAck('exhibition:watch', { id: watch[(n + i) % watch.length] });
          if (!answer.ok) throw new Error(answer.error.message);
        }),
      );
    }
    return { connected: followers.length };
  },
  sentMoves({ from, to }) {
    const moves = sent.filter((m) => m.at >= from && m.at <= to).map((m) => ({ ...m, at: m.at - from }));
    sent = [];
    return { moves };
  },
  async replay({ moves }) {
    // each move from its bot's stand-in, chosen again as the bot chose it (this process's load is the
    // same for both servers)
    const answers = await atTheirMoments(moves, ({ bot, fen, payload }) => {
      chooseMove(new Chess(fen), seededRandom(bot, fen), true);
      return followers[bot - 1].emitWithAck('move:play', payload);
    });
    return { answered: (await Promise.all(answers)).length };
  },
  report: () => ({ moves, refused }),
  close() {
    for (const t of timers) clearTimeout(t);
    for (const s of [...sockets.splice(0), ...followers.splice(0)]) s.disconnect();
    return {};
  },
});
