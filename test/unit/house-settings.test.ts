/** The house exhibition's settings from the environment: on by default, off with HOUSE_BOARDS=0. */
import { describe, expect, it } from 'vitest';
import { houseFromEnv } from '../../server/settings.js';

describe('HOUSE_* settings', () => {
  it('keep a house of 8 boards at 1500 Elo by default', () => {
    expect(houseFromEnv({})).toEqual({ boards: 8, elo: 1500, thinkSeconds: 1, moveLimitSeconds: 300 });
  });
  it('read every variable, 0 boards turning the house off and Elo 0 meaning full strength', () => {
    expect(houseFromEnv({ HOUSE_BOARDS: '0', HOUSE_ELO: '0', HOUSE_THINK_SECONDS: '2.5', HOUSE_MOVE_LIMIT_SECONDS: '60' })).toEqual({
      boards: 0,
      elo: null,
      thinkSeconds: 2.5,
      moveLimitSeconds: 60,
    });
  });
  it('refuse a value out of bounds, saying which', () => {
    expect(() => houseFromEnv({ HOUSE_BOARDS: 'many' })).toThrow(/HOUSE_BOARDS/);
    expect(() => houseFromEnv({ HOUSE_ELO: '900' })).toThrow(/HOUSE_ELO/);
    expect(() => houseFromEnv({ HOUSE_BOARDS: '2.5' })).toThrow(/whole number/);
  });
});
