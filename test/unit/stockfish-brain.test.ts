import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chess } from 'chess.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import { STANDARD_FEN } from '../../shared/chess.js';
import { Board } from '../../server/exhibition/board.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { MATE_CP, type Thought } from '../../server/judit/brain.js';
import { acceptsDraw } from '../../server/judit/policy.js';
import { StockfishBrain } from '../../server/judit/stockfish-brain.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Ask {
  fen?: string;
  startFen?: string;
  moves?: string[];
  thinkMs?: number;
  elo?: number | null;
  signal?: AbortSignal;
}

function ask(brain: StockfishBrain, { fen, startFen, moves = [], thinkMs = 80, elo = null, signal }: Ask): Promise<Thought> {
  const start = startFen ?? fen ?? STANDARD_FEN;
  return brain.think({
    startFen: start,
    moves,
    fen: replay(start, moves).fen(),
    thinkMs,
    elo,
    signal: signal ?? new AbortController().signal,
  });
}

function replay(startFen: string, moves: readonly string[]): Chess {
  const chess = new Chess(startFen);
  for (const uci of moves) chess.move(toMove(uci));
  return chess;
}

function toMove(uci: string): { from: string; to: string; promotion?: string } {
  return { from: uci.slice(0, 2), to: uci.slice(2, 4), promotion: uci[4] };
}

/** The SAN of `uci` in the position, or null when the move is illegal there. */
function legalSan(fen: string, uci: string): string | null {
  try {
    return new Chess(fen).move(toMove(uci)).san;
  } catch {
    return null;
  }
}

/** Gone, or a zombie waiting to be reaped: either way no longer running. */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** Positions after seeded random games from the start, for variety. */
function randomPositions(count: number, seed: number): { moves: string[] }[] {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const positions: { moves: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const chess = new Chess();
    const moves: string[] = [];
    const plies = 6 + Math.floor(random() * 40);
    for (let p = 0; p < plies && !chess.isGameOver(); p++) {
      const options = chess.moves({ verbose: true });
      const move = options[Math.floor(random() * options.length)];
      chess.move(move);
      moves.push(move.from + move.to + (move.promotion ?? ''));
    }
    if (!chess.isGameOver()) positions.push({ moves });
  }
  return positions;
}

describe('StockfishBrain', () => {
  const lines: string[] = [];
  let brain: StockfishBrain;

  beforeAll(async () => {
    brain = new StockfishBrain({ onLine: (line) => lines.push(line) });
    await brain.start();
  });

  afterAll(async () => {
    await brain.close();
  });

  it('starts and reports its readiness time', () => {
    expect(brain.stats.readyMs).toBeGreaterThan(0);
    expect(brain.pid).toBeTypeOf('number');
  });

  it('plays legal moves: castling, en passant, promotion, forced moves, whole games', async () => {
    const cases: { name: string; fen?: string; moves?: string[]; expected?: string | RegExp }[] = [
      { name: 'start', fen: STANDARD_FEN },
      { name: 'both may castle, white', fen: 'r3k2r/pppq1ppp/2npbn2/2b1p3/2B1P3/2NPBN2/PPPQ1PPP/R3K2R w KQkq - 0 1' },
      { name: 'both may castle, black', fen: 'r3k2r/pppq1ppp/2npbn2/2b1p3/2B1P3/2NPBN2/PPPQ1PPP/R4RK1 b kq - 1 1' },
      { name: 'history with castling', moves: 'e2e4 e7e5 g1f3 b8c6 f1c4 g8f6 e1g1 f8c5 d2d3 e8g8'.split(' ') },
      { name: 'en passant, the only move', fen: 'k7/8/8/3pP3/4K3/3r1r2/8/8 w - d6 0 1', expected: 'e5d6' },
      { name: 'one legal move', fen: '7k/8/8/8/8/8/6q1/7K w - - 0 1', expected: 'h1g2' },
      { name: 'promotions, the only moves', fen: '8/1P6/8/8/8/7n/5k1P/7K w - - 0 1', expected: /^b7b8[qrbn]$/ },
      { name: 'promotion with capture, black', fen: '4K3/8/8/8/8/8/1p5k/R7 b - - 0 1', expected: 'b2a1q' },
      { name: 'in check', fen: 'rnbqk1nr/pppp1ppp/8/4p3/1b1P4/8/PPP1PPPP/RNBQKBNR w KQkq - 1 3' },
      ...randomPositions(8, 7).map((p, i) => ({ name: `random game ${i}`, moves: p.moves })),
    ];
    for (const c of cases) {
      const startFen = c.fen ?? STANDARD_FEN;
      const moves = c.moves ?? [];
      const thought = await ask(brain, { startFen, moves, thinkMs: 60 });
      const fen = replay(startFen, moves).fen();
      expect(legalSan(fen, thought.move), `${c.name}: ${thought.move} in ${fen}`).not.toBeNull();
      if (c.expected) expect(thought.move, c.name).toMatch(c.expected);
    }
  });

  it('goes on with the same game move by move, and back to another board', async () => {
    const game = 'e2e4 c7c5 g1f3 d7d6'.split(' ');
    const first = await ask(brain, { moves: game });
    const reply = replay(STANDARD_FEN, [...game, first.move]).moves({ verbose: true })[0];
    const next = [...game, first.move, reply.from + reply.to + (reply.promotion ?? '')];
    const second = await ask(brain, { moves: next });
    expect(legalSan(replay(STANDARD_FEN, next).fen(), second.move)).not.toBeNull();
    const other = await ask(brain, { moves: ['d2d4'] });
    expect(legalSan(replay(STANDARD_FEN, ['d2d4']).fen(), other.move)).not.toBeNull();
  });

  it('finds a mate in one at full strength, for either colour', async () => {
    const white = await ask(brain, { fen: '6k1/5ppp/8/8/8/8/5PPP/R5K1 w - - 0 1', thinkMs: 100 });
    expect(white).toEqual({ move: 'a1a8', scoreCp: MATE_CP - 1 });
    const black = await ask(brain, { fen: 'r5k1/8/8/8/8/8/5PPP/6K1 b - - 0 1', thinkMs: 100 });
    expect(black).toEqual({ move: 'a8a1', scoreCp: MATE_CP - 1 });
  });

  it('scores a forced mate against Judit as minus the mate score', async () => {
    // the king's one move, Kh2, walks into Qg2 or Qh3 mate
    const thought = await ask(brain, { fen: '7k/8/8/8/8/5q2/8/r5K1 w - - 0 1', thinkMs: 100 });
    expect(thought).toEqual({ move: 'g1h2', scoreCp: -(MATE_CP - 1) });
  });

  it('accepts an Elo, and goes back to full strength', async () => {
    lines.length = 0;
    const fen = 'r1bqkbnr/pppp1ppp/2n5/4p3/4P3/5N2/PPPP1PPP/RNBQKB1R w KQkq - 2 3';
    for (const elo of [1320, 2735, 3190, null]) {
      const thought = await ask(brain, { fen, elo, thinkMs: 60 });
      expect(legalSan(fen, thought.move), `elo ${elo}`).not.toBeNull();
    }
    expect(lines.filter((line) => /no such option|unknown command/i.test(line))).toEqual([]);
  });

  it('keeps to the think time', async () => {
    for (const [moves, thinkMs] of [[['e2e4', 'e7e5'], 400], [['e2e4', 'e7e5', 'g1f3'], 300]] as const) {
      const began = performance.now();
      await ask(brain, { moves: [...moves], thinkMs });
      expect(performance.now() - began).toBeGreaterThan(thinkMs * 0.9);
      // the engine is never given more than the think time (`npm run bench:brain` measures how close it keeps)
      expect(brain.stats.lastSearch?.movetimeMs).toBeLessThanOrEqual(thinkMs);
    }
  });

  it('accepts a draw in a dead-level endgame and declines it when winning', async () => {
    const config = parseConfig({ boards: 1, drawMinMove: 1 });
    const level = '8/5pk1/8/8/8/8/5PK1/8 w - - 0 1';
    const winning = 'rnb1kbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1'; // a queen up
    const even = await ask(brain, { fen: level, thinkMs: 100 });
    expect(acceptsDraw(config, new Board(1, 'Opponent', 'white', level), even.scoreCp)).toBe(true);
    const ahead = await ask(brain, { fen: winning, thinkMs: 100 });
    expect(ahead.scoreCp).toBeGreaterThan(500);
    expect(acceptsDraw(config, new Board(1, 'Opponent', 'white', winning), ahead.scoreCp)).toBe(false);
  });

  it('resigns a hopeless position after several moves, never a level one', async () => {
    const exh = new Exhibition('resign', parseConfig({ boards: 2 }), { now: () => 0 });
    exh.takeSeat('Lost');
    exh.takeSeat('Level');
    const hopeless = 'rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNB1KBNR w KQkq - 0 1'; // a queen down
    const level = '8/5pk1/8/8/8/8/5PK1/8 w - - 0 1';
    const verdicts: boolean[] = [];
    for (let i = 0; i < exh.config.resignAfterMoves; i++) {
      const lost = await ask(brain, { fen: hopeless, thinkMs: 60 });
      const verdict = exh.countHopeless(1, lost.scoreCp);
      verdicts.push(verdict.ok && verdict.resign);
      const even = await ask(brain, { fen: level, thinkMs: 60 });
      expect(exh.countHopeless(2, even.scoreCp)).toEqual({ ok: true, resign: false });
    }
    expect(verdicts).toEqual([...Array(exh.config.resignAfterMoves - 1).fill(false), true]);
  });

  it('stops at once when aborted, and thinks on afterwards', async () => {
    const controller = new AbortController();
    const thinkMs = 10_000;
    const long = ask(brain, { moves: ['d2d4'], thinkMs, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(long).rejects.toThrow();
    expect(brain.stats.lastSearch?.elapsedMs).toBeLessThan(thinkMs); // cut short, not run to its time
    const thought = await ask(brain, { moves: ['e2e4'], thinkMs: 100 });
    expect(legalSan(replay(STANDARD_FEN, ['e2e4']).fen(), thought.move)).not.toBeNull();
  });

  it('thinks about one board at a time', async () => {
    const began = performance.now();
    const [a, b] = await Promise.all([ask(brain, { moves: ['e2e4'], thinkMs: 100 }), ask(brain, { moves: ['d2d4'], thinkMs: 100 })]);
    expect(performance.now() - began).toBeGreaterThan(190);
    expect(legalSan(replay(STANDARD_FEN, ['e2e4']).fen(), a.move)).not.toBeNull();
    expect(legalSan(replay(STANDARD_FEN, ['d2d4']).fen(), b.move)).not.toBeNull();
  });
});

describe('StockfishBrain faults', () => {
  it('restarts an engine killed mid-think and still answers', async () => {
    const faults: string[] = [];
    const brain = new StockfishBrain({ warmupMs: 0, onFault: (m) => faults.push(m) });
    try {
      await brain.start();
      const first = brain.pid;
      expect(first).toBeTypeOf('number');
      const thinking = ask(brain, { moves: ['e2e4'], thinkMs: 400 });
      await new Promise((resolve) => setTimeout(resolve, 150));
      process.kill(first as number, 'SIGKILL');
      const thought = await thinking;
      expect(legalSan(replay(STANDARD_FEN, ['e2e4']).fen(), thought.move)).not.toBeNull();
      expect(brain.stats.restarts).toBe(1);
      expect(faults).toHaveLength(1);
      expect(brain.pid).not.toBe(first);
    } finally {
      await brain.close();
    }
  });

  it('restarts an engine that hangs mid-think (past the think time and margin)', async () => {
    const brain = new StockfishBrain({ warmupMs: 0, hangMarginMs: 300 });
    try {
      await brain.start();
      const first = brain.pid as number;
      const began = performance.now();
      const thinking = ask(brain, { moves: ['e2e4'], thinkMs: 200 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.kill(first, 'SIGSTOP');
      const thought = await thinking;
      expect(legalSan(replay(STANDARD_FEN, ['e2e4']).fen(), thought.move)).not.toBeNull();
      expect(performance.now() - began).toBeGreaterThan(500);
      // a fresh engine slowed by a busy machine may be restarted once more: what counts is the move and the hung one gone
      expect(brain.stats.restarts).toBeGreaterThanOrEqual(1);
      expect(await eventually(() => gone(first), 2000)).toBe(true);
    } finally {
      await brain.close();
    }
  });

  it('starts afresh after a reset: the old engine is gone and the next think runs on a new one', async () => {
    const brain = new StockfishBrain({ warmupMs: 0 });
    try {
      await brain.start();
      const first = brain.pid as number;
      await brain.reset();
      expect(await eventually(() => gone(first), 2000)).toBe(true);
      const thought = await ask(brain, { moves: ['e2e4'], thinkMs: 100 });
      expect(legalSan(replay(STANDARD_FEN, ['e2e4']).fen(), thought.move)).not.toBeNull();
      expect(brain.pid).not.toBe(first);
    } finally {
      await brain.close();
    }
  });

  it('runs its engine below the server’s CPU priority, a restarted one too', async () => {
    const brain = new StockfishBrain({ warmupMs: 0, nice: 5 });
    try {
      await brain.start();
      const first = brain.pid as number;
      expect(getPriority(first)).toBe(getPriority() + 5);
      await brain.reset();
      expect(brain.pid).not.toBe(first);
      expect(getPriority(brain.pid)).toBe(getPriority() + 5);
    } finally {
      await brain.close();
    }
  });

  it('says clearly when the engine cannot start', async () => {
    const brain = new StockfishBrain({ enginePath: join(tmpdir(), 'no-such-engine.js') });
    await expect(brain.start()).rejects.toThrow(/Stockfish could not start.*no-such-engine/);
    await expect(ask(brain, {})).rejects.toThrow(/Stockfish could not start/);
    await brain.close();
  });

  it('leaves no engine behind when closed', async () => {
    const brain = new StockfishBrain({ warmupMs: 0 });
    await brain.start();
    const pid = brain.pid as number;
    await brain.close();
    await brain.close(); // twice is fine
    expect(gone(pid)).toBe(true);
    await expect(ask(brain, {})).rejects.toThrow(/closed/);
  });

  it('leaves no engine behind when the server process is killed outright', async () => {
    const script = join(tmpdir(), `simul-orphan-${process.pid}.mts`);
    const brainModule = join(ROOT, 'server/judit/stockfish-brain.ts');
    writeFileSync(
      script,
      `import { StockfishBrain } from ${JSON.stringify(brainModule)};
const brain = new StockfishBrain({ warmupMs: 0 });
await brain.start();
console.log('engine', brain.pid);
void brain.think({ startFen: ${JSON.stringify(STANDARD_FEN)}, moves: [], fen: ${JSON.stringify(STANDARD_FEN)}, thinkMs: 20000, elo: null, signal: new AbortController().signal });
`,
    );
    const server = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const enginePid = await new Promise<number>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /engine (\d+)/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        server.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 300)); // well into the think
      expect(gone(enginePid)).toBe(false);
      server.kill('SIGKILL');
      expect(await eventually(() => gone(enginePid), 3000)).toBe(true);
    } finally {
      server.kill('SIGKILL');
      rmSync(script, { force: true });
    }
  });
});
