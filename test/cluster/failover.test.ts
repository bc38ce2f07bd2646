/**
 * An exhibition outlives its process: three processes behind the balancer, two exhibitions, players
 * and spectators spread over the processes. The process that owns one exhibition is killed in
 * mid-game, again and again: every acknowledged move is kept at its ply, Judit moves again (how soon
 * is printed, to hold against LEASE_SECONDS + 2 s: a figure, not an assertion, on a shared machine),
 * spectators elsewhere see every ply once and in order, and the players take
 * their seats back through the balancer. An owner stopped (SIGSTOP) until its lease is taken, then
 * continued, changes nothing.
 */
import { writeFileSync } from 'node:fs';
import { Chess } from 'chess.js';
import pg from 'pg';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoveRecord } from '../../shared/domain.js';
import type { BoardDetail, CreatedExhibition } from '../../shared/protocol.js';
import type { Member } from '../../server/cluster/cluster.js';
import type { Client } from '../integration/harness.js';
import { servicesAnswer, startTestCluster, type TestCluster } from './harness.js';

const LEASE_SECONDS = Number(process.env.FAILOVER_LEASE_SECONDS ?? 3);
const KILLS = Number(process.env.FAILOVER_KILLS ?? 5);
/** An answer not had by then counts as lost with its process; the command is sent again. */
const ANSWER_MS = 5_000;

const available = await servicesAnswer();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `condition`, checking every 50 ms, failing with `what` after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function open(url: string): Promise<Client> {
  const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const alive = (m: Member) => m.proc.exitCode === null && m.proc.signalCode === null;

/**
 * A player who answers each of Judit's moves with a random legal one, sends it again when no answer
 * comes, and takes the seat back with its token through the balancer when its process dies.
 */
class Player {
  readonly acked = new Map<number, string>();
  reclaimed = 0;
  private chess = new Chess();
  private color: 'w' | 'b' = 'w';
  private sending = false;
  private stopped = false;

  private constructor(
    private socket: Client,
    readonly id: string,
    readonly table: number,
    private readonly token: string,
    private readonly front: string,
  ) {}

  static async seat(url: string, front: string, id: string, name: string): Promise<Player> {
    const socket = await open(url);
    const granted = await socket.timeout(ANSWER_MS).emitWithAck('seat:take', { id, name });
    if (!granted.ok) throw new Error(granted.error.message);
    const player = new Player(socket, id, granted.table, granted.token, front);
    player.follow(granted.board);
    player.listen();
    return player;
  }

  get ply(): number {
    return this.chess.history().length;
  }

  stop(): void {
    this.stopped = true;
    this.socket.disconnect();
  }

  private listen(): void {
    this.socket.on('board:move', ({ id, table, move }) => {
      if (id === this.id && table === this.table) this.apply(move);
    });
    this.socket.on('disconnect', () => void this.reconnect());
  }

  private follow(board: BoardDetail): void {
    this.chess = new Chess(board.startFen);
    for (const move of board.moves) this.chess.move(move.uci);
    this.color = board.juditColor === 'white' ? 'b' : 'w';
    void this.play();
  }

  private apply(move: MoveRecord): void {
    if (move.ply <= this.ply) return;
    if (move.ply > this.ply + 1) return void this.resync();
    this.chess.move(move.uci);
    void this.play();
  }

  /** The board as the server has it, asked until it answers. */
  private async resync(): Promise<void> {
    while (!this.stopped) {
      const opened = await this.socket
        .timeout(ANSWER_MS)
        .emitWithAck('board:open', { id: this.id, table: this.table })
        .catch(() => null);
      if (opened?.ok) return this.follow(opened.board);
      await sleep(300);
    }
  }

  private async play(): Promise<void> {
    if (this.sending || this.stopped || this.chess.isGameOver() || this.chess.turn() !== this.color) return;
    this.sending = true;
    const pick = this.choose();
    const uci = `${pick.from}${pick.to}${pick.promotion ?? ''}`;
    const ply = this.ply;
    const answer = await this.socket
      .timeout(ANSWER_MS)
      .emitWithAck('move:play', { id: this.id, token: this.token, table: this.table, ply, uci })
      .catch(() => null);
    this.sending = false;
    if (answer?.ok) {
      this.acked.set(answer.move.ply, answer.move.uci);
      this.apply(answer.move);
      // Judit's answer may have come before this ack did
      return void this.play();
    }
    if (this.stopped || answer?.error.code === 'GAME_OVER') return;
    // no answer, or the exhibition on its way to another process: the same move again shortly
    await sleep(300);
    if (answer && answer.error.code !== 'SERVER_BUSY' && answer.error.code !== 'WRONG_STATE') await this.resync();
    else void this.play();
  }

  /** A random legal move, one that does not let Judit mate at once when there is such a move: the games last. */
  private choose() {
    const moves = this.chess.moves({ verbose: true });
    const safe = moves.filter((m) => {
      this.chess.move(m);
      const mated = this.chess.moves().some((reply) => reply.endsWith('#'));
      this.chess.undo();
      return !mated;
    });
    const from = safe.length > 0 ? safe : moves;
    return from[Math.floor(Math.random() * from.length)];
  }

  /** Through the front door to whichever process is up, and the seat back with the token. */
  private async reconnect(): Promise<void> {
    while (!this.stopped) {
      try {
        const socket = await open(this.front);
        const granted = await socket.timeout(ANSWER_MS).emitWithAck('seat:claim', { id: this.id, token: this.token });
        if (!granted.ok) {
          socket.disconnect();
          throw new Error(granted.error.message);
        }
        this.socket = socket;
        this.reclaimed++;
        this.listen();
        this.follow(granted.board);
        return;
      } catch {
        await sleep(200);
      }
    }
  }
}

/** A spectator on one process: the timeline, then every move as it comes, each checked to be the next. */
class Spectator {
  /** Per table: the moves seen after those the timeline held, by ply. */
  readonly seen = new Map<number, Map<number, string>>();
  readonly faults: string[] = [];
  /** When Judit made each move she was seen to make, by the server's clock (this machine's). */
  juditMoves: number[] = [];
  private readonly known = new Map<number, number>();
  private ready = false;
  private early: { table: number; move: MoveRecord }[] = [];

  private constructor(
    readonly socket: Client,
    readonly id: string,
    readonly member: Member,
  ) {}

  static async watch(member: Member, id: string): Promise<Spectator> {
    const socket = await open(member.url);
    const spectator = new Spectator(socket, id, member);
    socket.on('board:move', ({ id: of, table, move }) => {
      if (of !== id) return;
      if (spectator.ready) spectator.take(table, move);
      else spectator.early.push({ table, move });
    });
    // an exhibition on its way to another process says so: asked again, as a client would
    let watched = await socket.timeout(ANSWER_MS).emitWithAck('timeline:watch', { id });
    for (let i = 0; i < 5 && !watched.ok && watched.error.code === 'SERVER_BUSY'; i++) {
      await sleep(500);
      watched = await socket.timeout(ANSWER_MS).emitWithAck('timeline:watch', { id });
    }
    if (!watched.ok) throw new Error(watched.error.message);
    for (const lane of watched.timeline.lanes) spectator.known.set(lane.table, lane.moves.length);
    spectator.ready = true;
    for (const { table, move } of spectator.early) spectator.take(table, move);
    spectator.early = [];
    return spectator;
  }

  /** Alive the whole time: what it saw counts. */
  get survived(): boolean {
    return this.socket.connected;
  }

  private take(table: number, move: MoveRecord): void {
    const last = this.known.get(table) ?? 0;
    const seen = this.seen.get(table) ?? new Map<number, string>();
    this.seen.set(table, seen);
    if (move.ply <= last) {
      // a ply it has: from the timeline, or told again by a new owner; a different move there is a fault
      if (seen.has(move.ply) && seen.get(move.ply) !== move.uci) this.faults.push(`table ${table}: ply ${move.ply} changed`);
      return;
    }
    if (move.ply !== last + 1) this.faults.push(`table ${table}: ply ${move.ply} after ${last}`);
    this.known.set(table, move.ply);
    seen.set(move.ply, move.uci);
    if (move.by === 'judit') this.juditMoves.push(move.movedAt);
  }
}

describe.skipIf(!available)('an exhibition whose process dies', () => {
  let cluster: TestCluster;
  let db: pg.Client;
  const players: Player[] = [];
  const spectators: Spectator[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(3, { LEASE_SECONDS: String(LEASE_SECONDS), LOG_LEVEL: process.env.FAILOVER_LOG ? 'info' : 'warn' });
    db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    if (process.env.FAILOVER_LOG) {
      const state = await db.query(
        `SELECT l.*, e.status, (SELECT json_agg(state::json->'end') FROM boards b WHERE b.exhibition_id = e.id) AS ends, (SELECT json_agg(json_build_array(table_no, ply, record::json->>'by', record::json->>'movedAt') ORDER BY table_no, ply) FROM moves m WHERE m.exhibition_id = e.id AND ply > 0) AS moves FROM leases l JOIN exhibitions e ON e.id = l.exhibition_id`,
      );
      const players = [...new Set(spectators.map((s) => s.id))].map((id) => ({ id, plies: plies(id) }));
      writeFileSync(process.env.FAILOVER_LOG, `${cluster?.output() ?? ''}\n${JSON.stringify({ state: state.rows, players }, null, 1)}`);
    }
    for (const p of players) p.stop();
    for (const s of spectators) s.socket.disconnect();
    await db?.end();
    await cluster?.close();
  });

  /** The member whose process holds exhibition `id`'s lease now. */
  const ownerOf = async (id: string): Promise<Member | undefined> => {
    const row = await db.query<{ owner: string }>('SELECT owner FROM leases WHERE exhibition_id = $1 AND expires_at > clock_timestamp()', [id]);
    const pid = Number(row.rows[0]?.owner.split('/')[1]);
    return cluster.members.find((m) => m.proc.pid === pid && alive(m));
  };

  // Judit 0.2 s a move: a round of 8 tables takes 1.6 s or more, so no exhibition is over before its
  // last kill, however fast the machine plays
  const create = async (member: Member, name: string): Promise<CreatedExhibition> => {
    const res = await fetch(`${member.url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, boards: 8, juditColor: 'black', thinkSeconds: 0.2, seatsPerAddress: 100 }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as CreatedExhibition;
  };

  /** The stored moves of exhibition `id`, by table and ply. */
  const stored = async (id: string): Promise<Map<string, string>> => {
    const rows = await db.query<{ table_no: number; ply: number; record: string }>('SELECT table_no, ply, record FROM moves WHERE exhibition_id = $1', [id]);
    return new Map(rows.rows.map((r) => [`${r.table_no}:${r.ply}`, (JSON.parse(r.record) as MoveRecord).uci]));
  };

  const plies = (id: string) => players.filter((p) => p.id === id).reduce((n, p) => n + p.ply, 0);

  it('carries on elsewhere after each kill, losing no acknowledged move; a paused owner continued writes nothing', async () => {
    const [a, b] = [await create(cluster.members[0], 'Killed'), await create(cluster.members[1], 'Paused')];
    expect((await ownerOf(a.id))?.index).toBe(0);
    expect((await ownerOf(b.id))?.index).toBe(1);
    for (const x of [a, b]) {
      for (let i = 0; i < 8; i++) players.push(await Player.seat(cluster.members[i % 3].url, cluster.url, x.id, `P${i + 1}`));
      for (const m of cluster.members) spectators.push(await Spectator.watch(m, x.id));
      const host = await open(cluster.members[2].url);
      expect((await host.timeout(ANSWER_MS).emitWithAck('host:start', { id: x.id, hostKey: x.hostKey })).ok).toBe(true);
      host.disconnect();
    }
    await until(() => plies(a.id) > 30 && plies(b.id) > 30, 'both exhibitions under way');

    // ── paused: the owner of B stops, loses its lease, and is continued ───────────────
    const paused = (await ownerOf(b.id))!;
    const watchingB = () => spectators.filter((s) => s.id === b.id && s.member !== paused && s.survived);
    paused.proc.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await until(async () => (await ownerOf(b.id)) !== undefined && (await ownerOf(b.id)) !== paused, 'another process taking B over', 20_000);
    await until(() => watchingB().some((s) => s.juditMoves.some((t) => t > stoppedAt)), 'Judit moving on B again');
    const outputBefore = cluster.output().length;
    paused.proc.kill('SIGCONT');
    const continuedAt = Date.now();
    await until(() => cluster.output().slice(outputBefore).includes('exhibition lease lost'), 'the continued process giving B up', 10_000);
    await until(() => watchingB().some((s) => s.juditMoves.some((t) => t > continuedAt + 1_000)), 'Judit carrying on B at its new owner');
    const resumedIn = ((watchingB().flatMap((s) => s.juditMoves).find((t) => t > stoppedAt) ?? 0) - stoppedAt) / 1000;
    console.log(`SIGSTOP: B taken over and Judit moving again ${resumedIn.toFixed(2)} s after the stop`);

    // ── killed: the owner of A, again and again ────────────────────────────────────
    const times: number[] = [];
    const takeovers: number[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const victim = (await ownerOf(a.id))!;
      expect(victim, 'A still running, its lease held').toBeDefined();
      const before = plies(a.id);
      const watching = () => spectators.filter((s) => s.id === a.id && s.member !== victim && s.survived);
      const killedAt = Date.now();
      victim.proc.kill('SIGKILL');
      let takenAt = 0;
      const takeover = until(async () => ![undefined, victim].includes(await ownerOf(a.id)) && (takenAt = Date.now()) > 0, `A taken over after kill ${kill}`, 20_000);
      await until(() => watching().some((s) => s.juditMoves.some((t) => t > killedAt)), `Judit moving on A again after kill ${kill}`, 20_000);
      await takeover;
      takeovers.push((takenAt - killedAt) / 1000);
      const seconds = ((watching().flatMap((s) => s.juditMoves).find((t) => t > killedAt) ?? 0) - killedAt) / 1000;
      times.push(seconds);
      console.log(`kill ${kill}: lease taken over after ${takeovers.at(-1)!.toFixed(2)} s, Judit moved again after ${seconds.toFixed(2)} s`);
      // the process comes back, as a supervisor would start it, with spectators of its own
      const back = await cluster.respawn(victim.index);
      for (const x of [a, b]) spectators.push(await Spectator.watch(back, x.id));
      await until(() => plies(a.id) >= before + 8, `A under way after kill ${kill}`);
    }
    const list = (xs: number[]) => xs.map((t) => `${t.toFixed(2)} s`).join(', ');
    console.log(`after SIGKILL, LEASE_SECONDS=${LEASE_SECONDS}: lease taken over ${list(takeovers)}; Judit's next move ${list(times)}`);

    // ── what is kept ─────────────────────────────────────────────────────────────
    for (const p of players) p.stop();
    let checked = 0;
    const lost: string[] = [];
    for (const x of [a, b]) {
      const kept = await stored(x.id);
      for (const p of players.filter((q) => q.id === x.id)) {
        for (const [ply, uci] of p.acked) {
          checked++;
          if (kept.get(`${p.table}:${ply}`) !== uci) lost.push(`${x.id} table ${p.table} ply ${ply} ${uci}`);
        }
      }
    }
    console.log(`acknowledged moves checked: ${checked}, lost: ${lost.length}`);
    expect(lost).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    for (const s of spectators) expect(s.faults, `spectator of ${s.id} at process ${s.member.index}`).toEqual([]);
    const reclaimed = players.filter((p) => p.id === a.id).reduce((n, p) => n + p.reclaimed, 0);
    expect(reclaimed).toBeGreaterThan(0);
  }, 60_000 + KILLS * 60_000);
});
