import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config.js';
import { juditColorAt } from '../../shared/chess.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Candidates, MAX_WAITING } from '../../server/exhibition/candidates.js';
import { Exhibition } from '../../server/exhibition/exhibition.js';
import { juditMoves, running, S, setup, thinkingAt } from './helpers.js';

describe('colours', () => {
  it('when the players choose, each gets the colour they picked and Judit the other', () => {
    const s = setup({ juditColor: 'choose', boards: 3 }, []);
    expect(s.port.run((x) => x.takeSeat('Ann', 'white'))).toMatchObject({ ok: true, table: 1 });
    expect(s.port.run((x) => x.takeSeat('Bob', 'black'))).toMatchObject({ ok: true, table: 2 });
    expect(s.exh.boards.map((b) => b.juditColor)).toEqual(['black', 'white']);
    expect(s.events.map((e) => e.type === 'seat' && e.juditColor)).toEqual(['black', 'white']);
  });

  it('a pick counts only when the host lets the players choose', () => {
    const s = setup({ juditColor: 'white', boards: 2 }, []);
    s.port.run((x) => x.takeSeat('Ann', 'white'));
    expect(s.exh.board(1)!.juditColor).toBe('white');
  });

  it('a random draw is the same for the same exhibition and table, after a restart and in a browser', () => {
    const config = parseConfig({ boards: 40, juditColor: 'random' });
    const clock = new VirtualClock();
    const first = new Exhibition('same-id', config, clock);
    for (let i = 1; i <= 40; i++) first.takeSeat(`P${i}`);
    const again = new Exhibition('same-id', config, clock);
    for (let i = 1; i <= 40; i++) again.takeSeat(`P${i}`);
    const colours = first.boards.map((b) => b.juditColor);
    expect(again.boards.map((b) => b.juditColor)).toEqual(colours);
    expect(colours.map((_, i) => juditColorAt('random', i + 1, 'same-id'))).toEqual(colours);
    // a coin, not a pattern: both colours, and not simply alternating
    const whites = colours.filter((c) => c === 'white').length;
    expect(whites).toBeGreaterThan(10);
    expect(whites).toBeLessThan(30);
    expect(colours).not.toEqual(colours.map((_, i) => (i % 2 === 0 ? 'white' : 'black')));
  });
});

describe('late join', () => {
  it('a latecomer mid-round joins Judit’s round at once: she visits the new table in this round', async () => {
    const s = running({ lateJoin: true, boards: 4, thinkSeconds: 5 }, ['A', 'B', 'C']);
    await s.clock.advance(2 * S); // she thinks at table 1
    expect(s.port.run((x) => x.takeSeat('Late'))).toEqual({ ok: true, table: 4 });
    await s.clock.advance(18 * S);
    expect(thinkingAt(s.events)).toEqual([1, 2, 3, 4]);
    expect(juditMoves(s.events)).toEqual([[1, 5 * S], [2, 10 * S], [3, 15 * S], [4, 20 * S]]);
    // the latecomer's game counts from when they sat down
    expect(s.exh.board(4)!.moves[0].readyAt).toBe(2 * S);
  });

  it('a latecomer wakes a resting Judit', async () => {
    const s = running({ lateJoin: true, boards: 2, thinkSeconds: 5 }, ['A']);
    await s.clock.advance(60 * S); // she moved at 5 s and rests: the opponent thinks
    expect(s.exh.judit.activity).toBe('resting');
    s.port.run((x) => x.takeSeat('Late'));
    await s.clock.advance(5 * S);
    expect(juditMoves(s.events)).toEqual([[1, 5 * S], [2, 65 * S]]);
  });

  it('without late join a running exhibition seats no one', async () => {
    const s = running({ boards: 4 }, ['A']);
    expect(s.port.run((x) => x.takeSeat('Late'))).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });
});

describe('candidates', () => {
  const visitor = (id: string, name: string, at = 0) => ({ id, name, color: null, address: '10.0.0.1', at });

  it('an exhibition with approval: visitors wait in order; an accepted one is seated, a declined one is not', () => {
    const s = setup({ approval: true, boards: 2 }, []);
    const waiting = new Candidates();
    expect(waiting.ask(s.exh, visitor('a', 'Ann', 1))).toMatchObject({ ok: true });
    expect(waiting.ask(s.exh, visitor('b', 'Bob', 2))).toMatchObject({ ok: true });
    expect(waiting.list().map((c) => c.name)).toEqual(['Ann', 'Bob']);
    const accepted = waiting.answer('a');
    expect(accepted.ok && s.exh.takeSeat(accepted.candidate.name)).toEqual({ ok: true, table: 1 });
    expect(waiting.answer('b').ok).toBe(true); // declined: nothing more happens
    expect(waiting.list()).toEqual([]);
    expect(s.exh.boards.map((b) => b.opponent)).toEqual(['Ann']);
    expect(waiting.answer('b')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a request is refused as a seat would be, and a name waiting already is taken', () => {
    const s = setup({ approval: true, boards: 1 }, ['Ann']);
    const waiting = new Candidates();
    expect(waiting.ask(s.exh, visitor('x', 'ann'))).toMatchObject({ ok: false, error: { code: 'EXHIBITION_FULL' } });
    const open = setup({ approval: true, boards: 3 }, ['Ann']);
    expect(waiting.ask(open.exh, visitor('x', 'ANN'))).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    expect(waiting.ask(open.exh, visitor('y', 'Cy')).ok).toBe(true);
    expect(waiting.ask(open.exh, visitor('z', 'cy'))).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    expect(waiting.withdraw('y')).toBe(true);
    expect(waiting.ask(open.exh, visitor('z', 'cy')).ok).toBe(true);
    const crowd = new Candidates();
    const big = setup({ approval: true, boards: 1000 }, []);
    for (let i = 0; i < MAX_WAITING; i++) expect(crowd.ask(big.exh, visitor(`v${i}`, `V${i}`)).ok).toBe(true);
    expect(crowd.ask(big.exh, visitor('last', 'Last'))).toMatchObject({ ok: false, error: { code: 'EXHIBITION_FULL' } });
    const free = setup({ boards: 3 }, []);
    expect(waiting.ask(free.exh, visitor('w', 'Dee'))).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
  });
});
