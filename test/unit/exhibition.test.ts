import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { employ, opponents, running, S, setup, snapshot } from './helpers.js';

const statuses = (events: { type: string; status?: string }[]) =>
  events.flatMap((e) => (e.type === 'status' ? [e.status] : []));

describe('seats', () => {
  it('opponents take tables 1, 2, 3… in the order they sit, each announced', () => {
    const s = setup({ boards: 3 }, []);
    expect(s.port.run((x) => x.takeSeat('Ann'))).toEqual({ ok: true, table: 1 });
    expect(s.port.run((x) => x.takeSeat('  Bob '))).toEqual({ ok: true, table: 2 });
    expect(s.exh.boards.map((b) => b.opponent)).toEqual(['Ann', 'Bob']);
    expect(s.events).toEqual([
      { type: 'seat', table: 1, opponent: 'Ann', juditColor: 'white' },
      { type: 'seat', table: 2, opponent: 'Bob', juditColor: 'white' },
    ]);
  });

  it('refuses a seat when every board is taken, leaving the seats as they were', () => {
    const s = setup({ boards: 2 }, ['Ann', 'Bob']);
    const before = snapshot(s.exh);
    const r = s.port.run((x) => x.takeSeat('Cy'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('EXHIBITION_FULL');
    expect(snapshot(s.exh)).toEqual(before);
    expect(s.events).toEqual([]);
  });

  it('refuses a name already seated, whatever its case or spacing', () => {
    const s = setup({ boards: 4 }, ['Ann']);
    for (const name of ['Ann', 'ann', ' ANN ']) {
      const r = s.port.run((x) => x.takeSeat(name));
      expect(r.ok ? null : r.error.code).toBe('NAME_TAKEN');
    }
    const r = s.port.run((x) => x.takeSeat('   '));
    expect(r.ok ? null : r.error.code).toBe('BAD_REQUEST');
    expect(s.exh.boards).toHaveLength(1);
    expect(s.events).toEqual([]);
  });

  it('refuses seats once the exhibition has started, and after it ends', () => {
    const s = setup({ boards: 3 }, ['Ann']);
    s.port.run((x) => x.start());
    expect(s.port.run((x) => x.takeSeat('Bob'))).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    s.port.run((x) => x.abort());
    expect(s.port.run((x) => x.takeSeat('Bob'))).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(s.exh.boards).toHaveLength(1);
  });

  it('a seat freed before the start goes to the next newcomer, keeping table order', () => {
    const s = setup({ boards: 3 }, ['Ann', 'Bob', 'Cy']);
    expect(s.port.run((x) => x.kick(2))).toEqual({ ok: true });
    expect(s.port.run((x) => x.takeSeat('Dee'))).toEqual({ ok: true, table: 2 });
    expect(s.exh.boards.map((b) => `${b.table}:${b.opponent}`)).toEqual(['1:Ann', '2:Dee', '3:Cy']);
    // the freed name may sit again once a board is free
    expect(s.port.run((x) => x.kick(1))).toEqual({ ok: true });
    expect(s.port.run((x) => x.takeSeat('Bob'))).toEqual({ ok: true, table: 1 });
  });

  it('Judit plays white on every board by default, black when asked', () => {
    expect(setup({}, ['A', 'B']).exh.boards.map((b) => b.juditColor)).toEqual(['white', 'white']);
    expect(setup({ juditColor: 'black' }, ['A', 'B']).exh.boards.map((b) => b.juditColor)).toEqual(['black', 'black']);
  });
});

describe('lifecycle', () => {
  it('open → running → paused → running → finished, each change announced once', async () => {
    const s = setup({ boards: 1, thinkSeconds: 1 }, ['Ann']);
    expect(s.exh.status).toBe('open');
    expect(s.port.run((x) => x.start())).toEqual({ ok: true });
    expect(s.exh.status).toBe('running');
    expect(s.exh.startedAt).toBe(0);
    expect(s.port.run((x) => x.pause())).toEqual({ ok: true });
    expect(s.exh.status).toBe('paused');
    expect(s.port.run((x) => x.resume())).toEqual({ ok: true });
    expect(s.port.run((x) => x.resign(1))).toEqual({ ok: true });
    expect(s.exh.status).toBe('finished');
    expect(statuses(s.events)).toEqual(['running', 'paused', 'running', 'finished']);
    expect(s.exh.board(1)!.end).toMatchObject({ result: '1-0', reason: 'resignation', winner: 'judit' });
  });

  it('cannot start with nobody seated, nor twice', () => {
    const empty = new Exhibition('e', parseConfig({ boards: 2 }), new VirtualClock());
    expect(empty.start()).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(empty.status).toBe('open');
    const s = setup({}, ['Ann']);
    s.port.run((x) => x.start());
    expect(s.port.run((x) => x.start())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });

  it('pause and resume only from the matching state', () => {
    const s = setup({}, ['Ann']);
    expect(s.port.run((x) => x.pause())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(s.port.run((x) => x.resume())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    s.port.run((x) => x.start());
    expect(s.port.run((x) => x.resume())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    s.port.run((x) => x.pause());
    expect(s.port.run((x) => x.pause())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(s.exh.status).toBe('paused');
  });

  it('an abort ends every unfinished game as unfinished (*) and keeps finished ones', async () => {
    const s = running({ boards: 3, thinkSeconds: 5 }, ['Ann', 'Bob', 'Cy']);
    await s.clock.advance(7 * S);
    s.port.run((x) => x.resign(2));
    expect(s.port.run((x) => x.abort())).toEqual({ ok: true });
    expect(s.exh.status).toBe('aborted');
    expect(s.exh.boards.map((b) => b.end?.result)).toEqual(['*', '1-0', '*']);
    expect(s.exh.boards.map((b) => b.end?.reason)).toEqual(['aborted', 'resignation', 'aborted']);
    expect(s.exh.stats().results).toEqual({ wins: 1, draws: 0, losses: 0, unfinished: 2 });
    expect(s.exh.judit).toMatchObject({ table: null, activity: 'idle' });
    // an aborted exhibition stays aborted
    for (const r of [s.port.run((x) => x.abort()), s.port.run((x) => x.resume()), s.port.run((x) => x.pause()), s.port.run((x) => x.start())]) {
      expect(r).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    }
  });

  it('an abort before the start, or while paused, is allowed; after the finish it is not', () => {
    const a = setup({}, ['Ann']);
    expect(a.port.run((x) => x.abort())).toEqual({ ok: true });
    expect(a.exh.stats().elapsedMs).toBe(0);
    const b = setup({}, ['Ann']);
    b.port.run((x) => x.start());
    b.port.run((x) => x.pause());
    expect(b.port.run((x) => x.abort())).toEqual({ ok: true });
    const c = setup({}, ['Ann']);
    c.port.run((x) => x.start());
    c.port.run((x) => x.resign(1));
    expect(c.exh.status).toBe('finished');
    expect(c.port.run((x) => x.abort())).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(c.exh.board(1)!.end?.reason).toBe('resignation');
  });

  it('Judit stops for good when the exhibition ends: no timers left, no more moves', async () => {
    const s = running({ boards: 2, thinkSeconds: 5 }, ['Ann', 'Bob']);
    opponents(s, 10 * S);
    await s.clock.advance(30 * S);
    const played = s.exh.stats().movesPlayed;
    expect(played).toBeGreaterThan(4);
    s.port.run((x) => x.abort());
    await s.clock.advance(3_600 * S);
    expect(s.exh.stats().movesPlayed).toBe(played);
    expect(s.clock.pending).toBe(0);
    expect(s.errors).toEqual([]);
  });

  it('the exhibition finishes when its last game ends, and Judit goes idle', async () => {
    const s = running({ boards: 2, thinkSeconds: 5 }, ['Ann', 'Bob']);
    await s.clock.advance(12 * S);
    s.port.run((x) => x.resign(1));
    expect(s.exh.status).toBe('running');
    s.port.run((x) => x.resign(2));
    expect(s.exh.status).toBe('finished');
    expect(s.exh.finishedAt).toBe(12 * S);
    expect(s.exh.judit).toMatchObject({ table: null, activity: 'idle' });
    expect(statuses(s.events)).toEqual(['running', 'finished']);
  });

  it('a kicked opponent forfeits the game during play', async () => {
    const s = running({ boards: 2 }, ['Ann', 'Bob']);
    expect(s.port.run((x) => x.kick(2))).toEqual({ ok: true });
    expect(s.exh.board(2)!.end).toMatchObject({ reason: 'kicked', winner: 'judit', result: '1-0' });
    expect(s.port.run((x) => x.kick(2))).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    expect(s.port.run((x) => x.kick(9))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('starting sets every board’s clock running from the start', async () => {
    const s = setup({ juditColor: 'black' }, ['Ann', 'Bob']);
    employ(s);
    await s.clock.advance(40 * S);
    s.port.run((x) => x.start());
    expect(s.exh.boards.map((b) => b.turnSince)).toEqual([40 * S, 40 * S]);
  });
});
