import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseConfig, type ExhibitionConfigInput } from '../../shared/config.js';
import type { MoveRecord } from '../../shared/domain.js';
import type { ExhibitionEvent } from '../../shared/events.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import type { BoardState, ExhibitionHeader } from '../../server/exhibition/record.js';
import { createLogger } from '../../server/log.js';
import { Room } from '../../server/rooms/room.js';
import { hashSecret } from '../../server/secrets.js';
import type { StoredChat } from '../../server/chat/chat.js';
import type { Commit, Loaded, Store, StoredExhibition } from '../../server/store/store.js';
import type { Clock } from '../../server/clock/clock.js';
import type { Brain } from '../../server/judit/brain.js';
import { quietMove, S, StubBrain } from './helpers.js';

interface Kept {
  createdAt: number;
  hostKeyHash: string;
  header: ExhibitionHeader;
  boards: Map<number, { state: BoardState; tokenHash?: string; moves: MoveRecord[] }>;
}

/** A store in memory whose next commit can be made to fail, and whose writes can take virtual time. */
class FakeStore implements Store {
  private readonly kept = new Map<string, Kept>();
  failNext = false;
  commits = 0;
  /** Boards a commit wrote as the store already had them. */
  unchangedWrites = 0;
  /** Told after each commit is kept, with what the store now holds. */
  afterCommit: ((kept: Kept) => void) | null = null;
  inFlight = 0;
  mostInFlight = 0;

  constructor(private readonly writeTime: (() => Promise<void>) | null = null) {}

  async createExhibition(id: string, createdAt: number, hostKeyHash: string, header: ExhibitionHeader): Promise<void> {
    this.kept.set(id, { createdAt, hostKeyHash, header: structuredClone(header), boards: new Map() });
  }

  async commit(id: string, commit: Commit): Promise<void> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      await this.writeTime?.();
      const x = this.kept.get(id);
      if (!x) throw new Error(`no exhibition ${id}`);
      if (this.failNext) {
        this.failNext = false;
        throw new Error('the disk is full');
      }
      const c = structuredClone(commit);
      x.header = c.header;
      for (const table of c.removedBoards) x.boards.delete(table);
      for (const { state, tokenHash } of c.boards) {
        const before = x.boards.get(state.table);
        if (before && JSON.stringify(before.state) === JSON.stringify(state)) this.unchangedWrites++;
        x.boards.set(state.table, { state, tokenHash: tokenHash ?? before?.tokenHash, moves: before?.moves ?? [] });
      }
      for (const { table, move } of c.moves) x.boards.get(table)!.moves.push(move);
      this.commits++;
      this.afterCommit?.(x);
    } finally {
      this.inFlight--;
    }
  }

  async load(id: string): Promise<Loaded | null> {
    const x = this.kept.get(id);
    if (!x) return null;
    const boards = [...x.boards.values()].sort((a, b) => a.state.table - b.state.table);
    return structuredClone({
      id,
      createdAt: x.createdAt,
      hostKeyHash: x.hostKeyHash,
      header: x.header,
      boards: boards.map((b) => ({ state: b.state, moves: b.moves })),
      seatTokens: new Map(boards.flatMap((b) => (b.tokenHash ? [[b.state.table, b.tokenHash] as [number, string]] : []))),
    });
  }

  async loadAll(): Promise<Loaded[]> {
    return Promise.all([...this.kept.keys()].map(async (id) => (await this.load(id))!));
  }

  loadActive(): Promise<Loaded[]> {
    return this.loadAll();
  }

  listActive(): Promise<Loaded[]> {
    return this.loadAll();
  }

  async recentEnded(): Promise<Loaded[]> {
    return [];
  }

  async close(): Promise<void> {}

  // the chat is written beside the rooms, never by them
  async loadChat(): Promise<StoredChat> {
    return { settings: null, messages: [] };
  }
  async appendChat(): Promise<void> {}
  async deleteChat(): Promise<void> {}
  async saveChatSettings(): Promise<void> {}

  // one room, one writer: its lease is always its own
  async acquireLease(): Promise<number> {
    return 1;
  }
  async renewLease(): Promise<boolean> {
    return true;
  }
  async releaseLease(): Promise<void> {}
  async unleasedActive(): Promise<string[]> {
    return [];
  }
}

/** A room on a virtual clock over `store`, with an open exhibition and its host key. */
async function roomOf(store: FakeStore, config: Partial<ExhibitionConfigInput> = {}, brain: (clock: Clock) => Brain = (clock) => new StubBrain(clock)) {
  const clock = new VirtualClock();
  const exh = new Exhibition('r', parseConfig({ boards: 2, thinkSeconds: 5, ...config }), clock);
  await store.createExhibition(exh.id, exh.createdAt, hashSecret('host'), exh.header());
  const room = new Room(exh, hashSecret('host'), new Map(), {
    clock,
    store,
    log: createLogger('silent'),
    createBrain: async () => brain(clock),
    mayRun: () => ({ ok: true }),
  }, 1);
  const announced: ExhibitionEvent[][] = [];
  room.subscribe((_room, events) => announced.push(events));
  return { clock, room, announced };
}

async function seat(room: Room, name: string): Promise<string> {
  const taken = await room.takeSeat(name, '10.0.0.1');
  if (!taken.ok) throw new Error(taken.error.message);
  return taken.token;
}

/** What the store has of the exhibition, read back as a restart would. */
async function stored(store: Store, id: string): Promise<StoredExhibition> {
  return (await store.load(id)) as StoredExhibition;
}

const moves = (events: ExhibitionEvent[][]) => events.flat().flatMap((e) => (e.type === 'move' ? [[e.table, e.move.by, e.move.movedAt]] : []));

describe('a room', () => {
  it('answers INTERNAL to a command it could not store, announces nothing of it, keeps memory as the store has it, and serves the next', async () => {
    const store = new FakeStore();
    const { clock, room, announced } = await roomOf(store, { juditColor: 'black' });
    const ann = await seat(room, 'Ann');
    await seat(room, 'Bob');
    expect((await room.start('host')).ok).toBe(true);
    await clock.run(); // Judit rests: both opponents have white
    const before = announced.length;

    store.failNext = true;
    const e4 = quietMove(room.exh.board(1)!.chess.fen());
    expect(await room.move(ann, 1, 0, e4)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    await clock.run();
    expect(moves(announced.slice(before))).toEqual([]);
    expect(room.exh.board(1)!.ply).toBe(0);
    const disk = await stored(store, room.id);
    expect(disk.boards.map((b) => b.moves)).toEqual([[], []]);
    // all of it but where Judit stands now, which goes to the store with the next commit
    const apartFromWhereabouts = (header: ExhibitionHeader) => ({ ...header, givers: [] });
    expect(apartFromWhereabouts(room.exh.header())).toEqual(apartFromWhereabouts(disk.header));
    expect(room.exh.summaries()).toEqual(Exhibition.restore(disk, clock).summaries());
    expect(room.exh.status).toBe('running'); // it carried on, as after a restart

    // the player sends the move again: this time it is kept, told, and Judit answers it
    expect(await room.move(ann, 1, 0, e4)).toMatchObject({ ok: true, duplicate: false });
    await clock.run(() => room.exh.board(1)!.ply === 2);
    expect(moves(announced.slice(before)).map(([table, by]) => [table, by])).toEqual([
      [1, 'opponent'],
      [1, 'judit'],
    ]);
    expect((await stored(store, room.id)).boards[0].moves).toEqual(room.exh.board(1)!.moves);
    await room.dispose();
  });

  it('refuses a seat it could not store, and gives the seat to the next one asking', async () => {
    const store = new FakeStore();
    const { room } = await roomOf(store);
    store.failNext = true;
    expect(await room.takeSeat('Ann', '10.0.0.1')).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(room.exh.boards).toEqual([]);
    const bob = await room.takeSeat('Bob', '10.0.0.1');
    expect(bob).toMatchObject({ ok: true, table: 1 });
    expect((await stored(store, room.id)).seatTokens.get(1)).toBe(hashSecret(bob.ok ? bob.token : ''));
    await room.dispose();
  });

  it('runs a player’s move and Judit’s, made at once, one after the other: each stored before the next is applied', async () => {
    // once the seats are taken, every write takes 100 ms of virtual time: commands pile up behind one another
    let slow: VirtualClock | null = null;
    const store = new FakeStore(() => slow?.sleep(100) ?? Promise.resolve());
    const { clock, room, announced } = await roomOf(store, { juditColor: 'alternate' });
    await seat(room, 'Ann');
    const bob = await seat(room, 'Bob'); // Bob has white at table 2
    slow = clock;
    let started = false;
    void room.start('host').then((r) => (started = r.ok));
    await clock.run(() => started); // stored by 0.1 s
    // Judit arrives at table 1 once the start is stored (0.1 s) and thinks 5 s: her move is stored from 5.1 s to 5.2 s; Bob sends his at 5.15 s
    const bobMoves = clock.sleep(5_050).then(() => room.move(bob, 2, 0, quietMove(room.exh.board(2)!.chess.fen())));
    let answered = false;
    void bobMoves.then(() => (answered = true));
    await clock.run(() => answered);
    expect((await bobMoves).ok).toBe(true);
    expect(moves(announced)).toEqual([
      [1, 'judit', 5.1 * S],
      [2, 'opponent', 5.2 * S], // sent at 5.15 s, applied once Judit's move was stored
    ]);
    expect(store.mostInFlight).toBe(1);
    await room.dispose();
  });

  it('writes exactly what each command changed: the store holds the exhibition as memory has it after every commit, no board written unchanged', async () => {
    const store = new FakeStore();
    // hopeless from her fifth move on: she counts, then resigns every game she still plays
    const hopeless = (clock: Clock) => new StubBrain(clock, { score: (r) => (r.moves.length >= 8 ? -1000 : 0) });
    const config = { boards: 4, juditColor: 'alternate', walkSeconds: 1, maxPasses: 1, lateJoin: true, clock: { initialSeconds: 600, incrementSeconds: 5 } } as const;
    const { clock, room } = await roomOf(store, config, hopeless);
    const differences: number[] = [];
    let mostHopeless = 0;
    store.afterCommit = (kept) => {
      const disk = { header: { ...kept.header, savedAt: 0 }, boards: [...kept.boards.values()].map((b) => b.state).sort((a, b) => a.table - b.table) };
      const memory = { header: { ...room.exh.header(), savedAt: 0 }, boards: room.exh.boards.map((b) => b.state()) };
      if (!isDeepStrictEqual(disk, memory)) differences.push(store.commits);
      for (const b of kept.boards.values()) mostHopeless = Math.max(mostHopeless, b.state.hopelessMoves);
    };
    const ann = await seat(room, 'Ann');
    await seat(room, 'Bob'); // never moves: passed, then forfeited
    await seat(room, 'Cy');
    expect((await room.kick('host', 3)).ok).toBe(true); // a seat freed before the start
    expect((await room.configure('host', { thinkSeconds: 2 })).ok).toBe(true); // every board made anew
    // Ann answers 3 s after each of Judit's moves, or after the resume
    const answer = () => void clock.sleep(3 * S).then(() => room.move(ann, 1, room.exh.board(1)!.ply, quietMove(room.exh.board(1)!.chess.fen())));
    room.subscribe((_room, events) => {
      for (const e of events) if ((e.type === 'move' && e.table === 1 && e.move.by === 'judit') || (e.type === 'status' && e.status === 'running')) answer();
    });
    expect((await room.start('host')).ok).toBe(true);
    await clock.advance(20 * S);
    const dan = await seat(room, 'Dan'); // a latecomer, who resigns at once
    expect((await room.resign(dan, 3)).ok).toBe(true);
    expect((await room.offerDraw(ann, 1)).ok).toBe(true); // declined: too early in the game
    expect((await room.pause('host')).ok).toBe(true);
    await clock.advance(30 * S);
    expect((await room.resume('host')).ok).toBe(true);
    await clock.run(() => room.exh.status === 'finished');
    expect(room.exh.boards.map((b) => b.end?.reason)).toEqual(['resignation', 'forfeitPasses', 'resignation']);
    expect(mostHopeless).toBe(3); // counted and stored move by move, up to the third, where she resigned
    expect(differences).toEqual([]);
    expect(store.unchangedWrites).toBe(0);
    await room.dispose();
  });

  it('stores a giver’s new whereabouts with the next commit, not on their own, and announces them at once', async () => {
    const store = new FakeStore();
    const { clock, room, announced } = await roomOf(store);
    await seat(room, 'Ann');
    await seat(room, 'Bob');
    expect((await room.start('host')).ok).toBe(true);
    const commits = store.commits;
    await clock.advance(7 * S); // she moved at table 1 at 5 s, and thinks at table 2
    expect(room.exh.givers[0]).toMatchObject({ table: 2, activity: 'thinking' });
    expect(announced.flat().some((e) => e.type === 'judit' && e.judit.table === 2 && e.judit.activity === 'thinking')).toBe(true);
    // one write, her move: a restart now would find her at table 1, where she looks in and walks on
    expect(store.commits - commits).toBe(1);
    expect((await stored(store, 'r')).header.givers?.[0]).toMatchObject({ table: 1, activity: 'thinking' });
    await clock.advance(5 * S); // her move at table 2 takes where she is with it
    expect(store.commits - commits).toBe(2);
    expect((await stored(store, 'r')).header.givers?.[0]).toMatchObject({ table: 2 });
    await room.dispose();
  });

  it('stops Judit and its timers when disposed', async () => {
    const store = new FakeStore();
    const { clock, room } = await roomOf(store);
    await seat(room, 'Ann');
    expect((await room.start('host')).ok).toBe(true);
    await clock.advance(1 * S); // Judit is thinking at table 1
    let sent = 0;
    room.coalesce('stats', () => sent++);
    expect(clock.pending).toBeGreaterThan(0);
    await room.dispose();
    await clock.run();
    expect(clock.pending).toBe(0);
    const commits = store.commits;
    await clock.advance(60 * S);
    expect(store.commits).toBe(commits);
    expect(room.exh.board(1)!.ply).toBe(0);
    expect(sent).toBe(0);
    expect(await room.pause('host')).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });
});
