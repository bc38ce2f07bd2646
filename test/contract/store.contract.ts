import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import type { MoveRecord } from '../../shared/domain.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { type Commit, isDamaged, isStaleEpoch, type Loaded, type Store, type StoredExhibition } from '../../server/store/store.js';

/** A record the store read back whole. */
function readable(x: Loaded | undefined | null): StoredExhibition {
  if (!x || isDamaged(x)) throw new Error(`not readable: ${x ? x.damage : 'missing'}`);
  return x;
}

/** What `tables` of `exh` look like now, as a command's commit would carry them. */
function commitOf(exh: Exhibition, tables: number[], extra: Partial<Commit> = {}): Commit {
  return {
    header: exh.header(),
    boards: tables.map((t) => ({ state: exh.board(t)!.state() })),
    removedBoards: [],
    moves: [],
    ...extra,
  };
}

/** A lease long enough for any test: the writer in these tests is the one holder. */
const LONG = 60_000;

/** Creates `exh` in `store` with its lease held by `owner`: the epoch its commits carry. */
async function created(store: Store, exh: Exhibition, hostKeyHash = 'h', owner = 'p1'): Promise<number> {
  await store.createExhibition(exh.id, exh.createdAt, hostKeyHash, exh.header());
  const epoch = await store.acquireLease(exh.id, owner, LONG);
  if (epoch === null) throw new Error('a new exhibition’s lease was refused');
  return epoch;
}

const move = (ply: number, uci: string, san: string): MoveRecord => ({ ply, uci, san, by: 'judit', readyAt: 0, startedAt: 0, movedAt: 1 });

/**
 * What every Store must do, whatever keeps the data: run this suite against each implementation.
 * `open` gives a store on a fresh location, and `reopen` one on the same location again.
 */
export function storeContract(name: string, make: () => { open: () => Promise<Store>; reopen: () => Promise<Store> }): void {
  describe(`${name} keeps what the exhibition core wrote`, () => {
    const clock = { t: 1_000, now() { return this.t; } };
    const config = parseConfig({ name: 'Contract', boards: 3, juditColor: 'alternate' });

    it('stores exhibitions, seats with token hashes, boards and moves, and gives them back in order', async () => {
      const { open, reopen } = make();
      const store = await open();
      const exh = new Exhibition('c1', config, clock);
      const epoch = await created(store, exh, 'hosthash');
      exh.takeSeat('Ann');
      exh.takeSeat('Bob');
      await store.commit(exh.id, { ...commitOf(exh, []), boards: [{ state: exh.board(1)!.state(), tokenHash: 'tok1' }, { state: exh.board(2)!.state(), tokenHash: 'tok2' }] }, epoch);
      exh.start();
      clock.t = 2_000;
      const judit = exh.juditMove(1, 0, 'e2e4', 1_000);
      const reply = exh.move(2, 0, 'd2d4');
      if (!judit.ok || !reply.ok) throw new Error('the moves were refused');
      await store.commit(exh.id, commitOf(exh, [1, 2], { moves: [{ table: 1, move: judit.move }, { table: 2, move: reply.move }] }), epoch);
      await store.close();

      const again = await reopen();
      const stored = readable((await again.loadAll())[0]);
      expect(stored.id).toBe('c1');
      expect(stored.hostKeyHash).toBe('hosthash');
      expect([...stored.seatTokens]).toEqual([[1, 'tok1'], [2, 'tok2']]);
      expect(stored.header).toEqual(exh.header());
      const restored = Exhibition.restore(stored, clock);
      expect(restored.summaries()).toEqual(exh.summaries());
      expect(restored.board(1)!.moves).toEqual(exh.board(1)!.moves);
      expect(restored.status).toBe('paused'); // it was running: the time since the last write is a pause
      expect(restored.stats(2_000)).toEqual(exh.stats(2_000));
      await again.close();
    });

    it('keeps a token hash when a board is saved again without one, and forgets a freed seat', async () => {
      const { open } = make();
      const store = await open();
      const exh = new Exhibition('c2', config, clock);
      const epoch = await created(store, exh);
      exh.takeSeat('Ann');
      exh.takeSeat('Bob');
      await store.commit(exh.id, { ...commitOf(exh, []), boards: [{ state: exh.board(1)!.state(), tokenHash: 'tok1' }, { state: exh.board(2)!.state(), tokenHash: 'tok2' }] }, epoch);
      await store.commit(exh.id, commitOf(exh, [1], { removedBoards: [2] }), epoch);
      const stored = readable((await store.loadAll())[0]);
      expect([...stored.seatTokens]).toEqual([[1, 'tok1']]);
      expect(stored.boards.map((b) => b.state.opponent)).toEqual(['Ann']);
      await store.close();
    });

    it('keeps all of a commit or none of it, and says so', async () => {
      const { open } = make();
      const store = await open();
      const exh = new Exhibition('c3', config, clock);
      const epoch = await created(store, exh);
      exh.takeSeat('Ann');
      await store.commit(exh.id, { ...commitOf(exh, []), boards: [{ state: exh.board(1)!.state(), tokenHash: 't' }] }, epoch);
      exh.reconfigure({ ...config, name: 'Renamed' });
      // the same ply twice: refused, and the header and the first move go too
      const twice = commitOf(exh, [1], { moves: [{ table: 1, move: move(1, 'e2e4', 'e4') }, { table: 1, move: move(1, 'e2e4', 'e4') }] });
      await expect(store.commit(exh.id, twice, epoch)).rejects.toThrow();
      const stored = readable((await store.loadAll())[0]);
      expect(stored.boards[0].moves).toEqual([]);
      expect(stored.header.config.name).toBe('Contract');
      await expect(store.commit('nope', commitOf(exh, []), epoch)).rejects.toThrow();
      await store.close();
    });

    it('refuses only the bad commit of several made at once', async () => {
      const { open, reopen } = make();
      const store = await open();
      const made = ['g1', 'g2', 'g3'].map((id) => new Exhibition(id, config, clock));
      const epochs: number[] = [];
      for (const exh of made) {
        const epoch = await created(store, exh);
        epochs.push(epoch);
        exh.takeSeat('Ann');
        await store.commit(exh.id, { ...commitOf(exh, []), boards: [{ state: exh.board(1)!.state(), tokenHash: 't' }] }, epoch);
      }
      const first = move(1, 'e2e4', 'e4');
      const outcomes = await Promise.allSettled([
        store.commit('g1', commitOf(made[0], [1], { moves: [{ table: 1, move: first }] }), epochs[0]),
        store.commit('g2', commitOf(made[1], [1], { moves: [{ table: 1, move: first }, { table: 1, move: first }] }), epochs[1]),
        store.commit('g3', commitOf(made[2], [1], { moves: [{ table: 1, move: first }] }), epochs[2]),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      await store.close();
      const again = await reopen();
      const moves = (await again.loadAll()).map((x) => readable(x).boards[0].moves.length);
      expect(moves).toEqual([1, 0, 1]);
      await again.close();
    });

    it('gives back the exhibitions not over, one by id, and the most recent ended ones', async () => {
      const { open } = make();
      const store = await open();
      const made: Exhibition[] = [];
      for (const [i, id] of ['open', 'ended-1', 'ended-2', 'ended-3'].entries()) {
        const exh = new Exhibition(id, config, { now: () => 1_000 + i });
        const epoch = await created(store, exh);
        exh.takeSeat('Ann');
        await store.commit(exh.id, { ...commitOf(exh, []), boards: [{ state: exh.board(1)!.state(), tokenHash: 't' }] }, epoch);
        if (id !== 'open') {
          exh.abort();
          await store.commit(exh.id, commitOf(exh, [1]), epoch);
        }
        made.push(exh);
      }
      expect((await store.loadActive()).map((x) => x.id)).toEqual(['open']);
      // the lobby's list: the same exhibitions, their boards without moves
      const listed = readable((await store.listActive())[0]);
      expect([listed.id, listed.boards.map((b) => b.state.opponent), listed.boards[0].moves]).toEqual(['open', ['Ann'], []]);
      const recent = await store.recentEnded(2);
      expect(recent.map((x) => x.id)).toEqual(['ended-2', 'ended-3']);
      expect(readable(recent[1]).boards[0].state.end?.result).toBe('*');
      const one = readable(await store.load('ended-1'));
      expect(Exhibition.restore(one, clock).summaries()).toEqual(made[1].summaries());
      expect(await store.load('nope')).toBeNull();
      await store.close();
    });

    it('keeps a chat beside the exhibition: messages in order, one taken down, the host’s settings', async () => {
      const { open, reopen } = make();
      const store = await open();
      const exh = new Exhibition('chat1', config, clock);
      const epoch = await created(store, exh);
      expect(await store.loadChat(exh.id, 10)).toEqual({ settings: null, messages: [] });
      const message = (id: number, text: string) => ({ id, at: 1_000 + id, author: 'Ann', role: 'player' as const, text });
      for (let i = 1; i <= 4; i++) await store.appendChat(exh.id, message(i, `m${i} <b>"'`));
      await store.deleteChat(exh.id, 2);
      await store.saveChatSettings(exh.id, { mode: 'everyone', muted: ['Bob'] });
      await store.close();
      const again = await reopen();
      expect(await again.loadChat(exh.id, 10)).toEqual({
        settings: { mode: 'everyone', muted: ['Bob'] },
        messages: [message(1, 'm1 <b>"\''), message(3, 'm3 <b>"\''), message(4, 'm4 <b>"\'')],
      });
      // the last ones, oldest first
      expect((await again.loadChat(exh.id, 2)).messages.map((m) => m.id)).toEqual([3, 4]);
      expect(await again.loadChat('other', 10)).toEqual({ settings: null, messages: [] });
      await again.close();
    });
  });

  describe(`${name} leases each exhibition to one writer at a time`, () => {
    const clock = { t: 1_000, now() { return this.t; } };
    const config = parseConfig({ name: 'Leases', boards: 2, juditColor: 'white' });

    it('gives a free lease, refuses a held one, and hands it on with the next epoch once released', async () => {
      const { open } = make();
      const store = await open();
      const exh = new Exhibition('l1', config, clock);
      await store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
      expect(await store.acquireLease(exh.id, 'p1', LONG)).toBe(1);
      expect(await store.acquireLease(exh.id, 'p2', LONG)).toBeNull();
      expect(await store.acquireLease(exh.id, 'p1', LONG)).toBeNull(); // held, even by the one asking
      expect(await store.renewLease(exh.id, 'p1', 1, LONG)).toBe(true);
      expect(await store.renewLease(exh.id, 'p2', 1, LONG)).toBe(false);
      await store.releaseLease(exh.id, 'p2', 1); // not theirs: nothing happens
      expect(await store.acquireLease(exh.id, 'p2', LONG)).toBeNull();
      await store.releaseLease(exh.id, 'p1', 1);
      expect(await store.acquireLease(exh.id, 'p2', LONG)).toBe(2);
      expect(await store.renewLease(exh.id, 'p1', 1, LONG)).toBe(false);
      await store.close();
    });

    it('lets another take an expired lease, by the database’s clock', async () => {
      const { open } = make();
      const store = await open();
      const exh = new Exhibition('l2', config, clock);
      await store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
      expect(await store.acquireLease(exh.id, 'p1', 1)).toBe(1);
      await vi.waitFor(async () => expect(await store.acquireLease(exh.id, 'p2', LONG)).toBe(2), { timeout: 5_000, interval: 20 });
      await store.close();
    });

    it('refuses every write of a stale epoch with a stable error, and keeps the new holder’s', async () => {
      const { open, reopen } = make();
      const store = await open();
      const exh = new Exhibition('l3', config, clock);
      const first = await created(store, exh);
      exh.takeSeat('Ann');
      await store.commit(exh.id, { ...commitOf(exh, []), boards: [{ state: exh.board(1)!.state(), tokenHash: 't' }] }, first);
      await store.releaseLease(exh.id, 'p1', first);
      const second = await store.acquireLease(exh.id, 'p2', LONG);
      expect(second).toBe(first + 1);
      exh.reconfigure({ ...config, name: 'Written by the old holder' });
      const stale = await store.commit(exh.id, commitOf(exh, [1], { moves: [{ table: 1, move: move(1, 'e2e4', 'e4') }] }), first).catch((e: unknown) => e);
      expect(isStaleEpoch(stale)).toBe(true);
      expect((stale as { code: string }).code).toBe('STALE_EPOCH');
      await store.commit(exh.id, commitOf(exh, [1]), second!);
      await store.close();
      const again = await reopen();
      const stored = readable(await again.load(exh.id));
      expect(stored.boards[0].moves).toEqual([]);
      expect(stored.header.config.name).toBe('Written by the old holder'); // by the new holder's commit
      await again.close();
    });

    it('lists the exhibitions not over whose lease is free or expired: those to take over', async () => {
      const { open } = make();
      const store = await open();
      const [held, free, ended] = ['u-held', 'u-free', 'u-ended'].map((id) => new Exhibition(id, config, clock));
      await created(store, held);
      await store.createExhibition(free.id, free.createdAt, 'h', free.header());
      const epoch = await created(store, ended);
      ended.abort();
      await store.commit(ended.id, commitOf(ended, []), epoch);
      await store.releaseLease(ended.id, 'p1', epoch);
      expect(await store.unleasedActive()).toEqual(['u-free']);
      await store.releaseLease(held.id, 'p1', 1);
      expect((await store.unleasedActive()).sort()).toEqual(['u-free', 'u-held']);
      await store.close();
    });
  });
}
