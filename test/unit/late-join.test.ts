/** Latecomers: an exhibition with `lateJoin` seats players while it runs, and Judit visits them. */
import { describe, expect, it } from 'vitest';
import { running, S } from './helpers.js';

describe('a seat taken while the exhibition runs', () => {
  it('is refused unless the exhibition admits latecomers', () => {
    const s = running({ boards: 3 }, ['Ann']);
    const late = s.port.run((x) => x.takeSeat('Zed'));
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error.code).toBe('WRONG_STATE');
    expect(s.exh.boards).toHaveLength(1);
  });

  it('with lateJoin takes a free table whose game starts as they sit, and Judit plays there', async () => {
    const s = running({ boards: 2, lateJoin: true, thinkSeconds: 2, juditColor: 'white' }, ['Ann']);
    await s.clock.advance(10 * S); // Judit moved at table 1 and rests: Ann has not answered
    expect(s.exh.board(1)!.ply).toBe(1);
    const late = s.port.run((x) => x.takeSeat('Zed'));
    expect(late).toEqual({ ok: true, table: 2 });
    expect(s.exh.board(2)!.turnSince).toBe(s.clock.now());
    // the resting Judit comes to the new table and makes her first move there
    await s.clock.advance(5 * S);
    expect(s.exh.board(2)!.ply).toBe(1);
    expect(s.port.run((x) => x.takeSeat('Full')).ok).toBe(false); // every table taken
    expect(s.errors).toEqual([]);
  });
});
