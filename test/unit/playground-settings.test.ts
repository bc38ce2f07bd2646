/** The playground's settings in its URL: a shared link must bring back what was set, and nothing else. */
import { describe, expect, it } from 'vitest';
import { CLASSIC, fromQuery, hostQuery, NUMBERS, sliderPosition, sliderValue, toQuery } from '../../client/src/playground/settings.js';

const parse = (query: string) => fromQuery(new URLSearchParams(query));

describe('playground settings', () => {
  it('opens on the classic exhibition, whose link carries no query', () => {
    expect(parse('')).toEqual(CLASSIC);
    expect(toQuery(CLASSIC)).toBe('');
  });

  it('restores every setting a link carries', () => {
    const chosen = { boards: 40, juditSeconds: 3, opponentSeconds: 42.5, opponentSpreadSeconds: 20, movePairs: 12, walkSeconds: 2, patienceSeconds: 4, givers: 3, order: 'urgent' as const, speed: 1800 };
    expect(toQuery(chosen)).toBe('?boards=40&judit=3&opponent=42.5&spread=20&moves=12&walk=2&patience=4&givers=3&order=urgent&speed=1800');
    expect(parse(toQuery(chosen))).toEqual(chosen);
  });

  it('takes the classic value for anything out of range or not a number', () => {
    expect(parse('boards=0&judit=abc&opponent=-1&spread=x&moves=2.5&walk=&order=nearest&speed=7')).toEqual(CLASSIC);
    expect(parse('boards=1001').boards).toBe(24);
    expect(parse('boards=1000').boards).toBe(1000);
  });

  it('hands the host form the settings an exhibition has', () => {
    const q = new URLSearchParams(hostQuery({ ...CLASSIC, boards: 6, walkSeconds: 1.5 }));
    expect(Object.fromEntries(q)).toEqual({ boards: '6', thinkSeconds: '5', walkSeconds: '1.5', patienceSeconds: '0', order: 'table' });
    expect(new URLSearchParams(hostQuery({ ...CLASSIC, givers: 2 })).get('givers')).toBe('2');
  });

  it('puts every number of boards from 1 to 1,000 in reach of the slider, the classic ones exactly', () => {
    const spec = NUMBERS.boards;
    for (const n of [1, 6, 12, 24, 100, 1000]) expect(sliderValue(spec, sliderPosition(spec, n))).toBe(n);
    const top = sliderPosition(spec, 1000);
    for (let p = 0; p <= top; p++) {
      const n = sliderValue(spec, p);
      expect(Number.isInteger(n) && n >= 1 && n <= 1000).toBe(true);
    }
  });
});
