import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { isDamaged, type Loaded, type Store, type StoredExhibition } from '../../server/store/store.js';

/** A record the store read back whole. */
function readable(x: Loaded | undefined | null): StoredExhibition {
  if (!x || isDamaged(x)) throw new Error(`not readable: ${x ? x.damage : 'missing'}`);
  return x;
}

/**
 * What every Store must do, whatever keeps the data: run this suite against each implementation.
 * `open` gives a store on a fresh location, and `reopen` one on the same location again.
 */
export function storeContract(name: string, make: () => { open: () => Store; reopen: () => Store }): void {
  describe(`${name} keeps what the exhibition core wrote`, () => {
    const clock = { t: 1_000, now() { return this.t; } };
    const config = parseConfig({ name: 'Contract', boards: 3, juditColor: 'alternate' });

    it('stores exhibitions, seats with token hashes, boards and moves, and gives them back in order', () => {
      const { open, reopen } = make();
      const store = open();
      const exh = new Exhibition('c1', config, clock);
      store.createExhibition(exh.id, exh.createdAt, 'hosthash', exh.header());
      exh.takeSeat('Ann');
      exh.takeSeat('Bob');
      store.saveBoard(exh.id, exh.board(1)!.state(), 'tok1');
      store.saveBoard(exh.id, exh.board(2)!.state(), 'tok2');
      exh.start();
      clock.t = 2_000;
      const judit = exh.juditMove(1, 0, 'e2e4', 1_000);
      const reply = exh.move(2, 0, 'd2d4');
      expect(judit.ok && reply.ok).toBe(true);
      store.transaction(() => {
        if (judit.ok) store.appendMove(exh.id, 1, judit.move);
        if (reply.ok) store.appendMove(exh.id, 2, reply.move);
        store.saveBoard(exh.id, exh.board(1)!.state());
        store.saveBoard(exh.id, exh.board(2)!.state());
        store.saveHeader(exh.id, exh.header());
      });
      store.close();

      const again = reopen();
      const stored = readable(again.loadAll()[0]);
      expect(stored.id).toBe('c1');
      expect(stored.hostKeyHash).toBe('hosthash');
      expect([...stored.seatTokens]).toEqual([[1, 'tok1'], [2, 'tok2']]);
      expect(stored.header).toEqual(exh.header());
      const restored = Exhibition.restore(stored, clock);
      expect(restored.summaries()).toEqual(exh.summaries());
      expect(restored.board(1)!.moves).toEqual(exh.board(1)!.moves);
      expect(restored.status).toBe('paused'); // it was running: the time since the last write is a pause
      expect(restored.stats(2_000)).toEqual(exh.stats(2_000));
      again.close();
    });

    it('keeps a token hash when a board is saved again without one, and forgets a freed seat', () => {
      const { open } = make();
      const store = open();
      const exh = new Exhibition('c2', config, clock);
      store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
      exh.takeSeat('Ann');
      exh.takeSeat('Bob');
      store.saveBoard(exh.id, exh.board(1)!.state(), 'tok1');
      store.saveBoard(exh.id, exh.board(2)!.state(), 'tok2');
      store.saveBoard(exh.id, exh.board(1)!.state());
      store.removeBoard(exh.id, 2);
      const stored = readable(store.loadAll()[0]);
      expect([...stored.seatTokens]).toEqual([[1, 'tok1']]);
      expect(stored.boards.map((b) => b.state.opponent)).toEqual(['Ann']);
      store.close();
    });

    it('keeps all of a transaction or none of it', () => {
      const { open } = make();
      const store = open();
      const exh = new Exhibition('c3', config, clock);
      store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
      exh.takeSeat('Ann');
      store.saveBoard(exh.id, exh.board(1)!.state(), 't');
      const move = { ply: 1, uci: 'e2e4', san: 'e4', by: 'judit' as const, readyAt: 0, startedAt: 0, movedAt: 1 };
      expect(() =>
        store.transaction(() => {
          store.appendMove(exh.id, 1, move);
          store.appendMove(exh.id, 1, move); // the same ply twice: refused, and the first goes too
        }),
      ).toThrow();
      expect(readable(store.loadAll()[0]).boards[0].moves).toEqual([]);
      store.close();
    });

    it('gives back the exhibitions not over, one by id, and the most recent ended ones', () => {
      const { open } = make();
      const store = open();
      const made = ['open', 'ended-1', 'ended-2', 'ended-3'].map((id, i) => {
        const exh = new Exhibition(id, config, { now: () => 1_000 + i });
        store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
        exh.takeSeat('Ann');
        store.saveBoard(exh.id, exh.board(1)!.state(), 't');
        if (id !== 'open') {
          exh.abort();
          store.saveBoard(exh.id, exh.board(1)!.state());
          store.saveHeader(exh.id, exh.header());
        }
        return exh;
      });
      expect(store.loadActive().map((x) => x.id)).toEqual(['open']);
      expect(store.recentEnded(2).map((x) => x.id)).toEqual(['ended-2', 'ended-3']);
      expect(readable(store.recentEnded(2)[1]).boards[0].state.end?.result).toBe('*');
      const one = readable(store.load('ended-1'));
      expect(Exhibition.restore(one, clock).summaries()).toEqual(made[1].summaries());
      expect(store.load('nope')).toBeNull();
      store.close();
    });

    it('keeps a chat beside the exhibition: messages in order, one taken down, the host’s settings', async () => {
      const { open, reopen } = make();
      const store = open();
      const exh = new Exhibition('chat1', config, clock);
      store.createExhibition(exh.id, exh.createdAt, 'h', exh.header());
      expect(await store.loadChat(exh.id, 10)).toEqual({ settings: null, messages: [] });
      const message = (id: number, text: string) => ({ id, at: 1_000 + id, author: 'Ann', role: 'player' as const, text });
      for (let i = 1; i <= 4; i++) await store.appendChat(exh.id, message(i, `m${i} <b>"'`));
      await store.deleteChat(exh.id, 2);
      await store.saveChatSettings(exh.id, { mode: 'everyone', muted: ['Bob'] });
      store.close();
      const again = reopen();
      expect(await again.loadChat(exh.id, 10)).toEqual({
        settings: { mode: 'everyone', muted: ['Bob'] },
        messages: [message(1, 'm1 <b>"\''), message(3, 'm3 <b>"\''), message(4, 'm4 <b>"\'')],
      });
      // the last ones, oldest first
      expect((await again.loadChat(exh.id, 2)).messages.map((m) => m.id)).toEqual([3, 4]);
      expect(await again.loadChat('other', 10)).toEqual({ settings: null, messages: [] });
      again.close();
    });
  });
}
