import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { idealSeconds, idealSecondsOfGames, juditClockSeconds } from '../../shared/lesson.js';
import { simulate, type SimulationParams } from '../../server/simulate/simulate.js';
import { FlagError, parseFlags } from '../../server/simulate/flags.js';

const classic = { juditSeconds: 5, opponentSeconds: 55, movePairs: 30 };
const offBy = (r: { exhibitionSeconds: number; idealSeconds: number }) => Math.abs(r.exhibitionSeconds - r.idealSeconds) / r.idealSeconds;

describe('the simulator in every setting', () => {
  it('long games: no bot is asked for a move in a game that is over, and the games last their M pairs', async () => {
    const r = await simulate({ ...classic, boards: 24, movePairs: 150 });
    expect(r.gamesEndedEarly).toBe(0);
    expect(r.exhibitionSeconds).toBe(idealSeconds({ ...classic, boards: 24, movePairs: 150 }));
  });

  it('instant opponents: Judit alone sets the pace', async () => {
    for (const boards of [1, 24]) {
      const r = await simulate({ ...classic, opponentSeconds: 0, boards });
      expect(r.exhibitionSeconds).toBe(boards * 30 * 5);
      expect(r.idealSeconds).toBe(boards * 30 * 5);
    }
  });

  it('a game the rules end early is counted, and the ideal is taken on the moves played', async () => {
    const r = await simulate({ ...classic, boards: 2, movePairs: 300 });
    expect(r.gamesEndedEarly).toBeGreaterThan(0); // a bare endgame runs into the fifty-move rule
    expect(r.idealSeconds).toBeLessThan(idealSeconds({ ...classic, boards: 2, movePairs: 300 }));
    expect(offBy(r)).toBeLessThan(0.01);
  });

  it('with three passes allowed, opponents who answer within 55 s never forfeit', async () => {
    for (const boards of [2, 6, 12, 13, 24]) {
      const r = await simulate({ ...classic, boards, maxPasses: 3 });
      expect(r.forfeits).toBe(0);
      expect(r.passes).toBe(0);
      expect(offBy(r)).toBeLessThan(0.01);
    }
  });

  it('patience shorter than an opponent’s move does not slow the exhibition', async () => {
    const r = await simulate({ ...classic, boards: 6, patienceSeconds: 10 });
    expect(r.exhibitionSeconds).toBe(idealSeconds({ ...classic, boards: 6 })); // 1825 s
  });

  const walking: [string, Partial<SimulationParams>][] = [
    ['one board: she never walks again', { boards: 1 }],
    ['two boards', { boards: 2 }],
    ['six boards, her round shorter than an opponent’s move', { boards: 6 }],
    ['twenty-four boards, she is the bottleneck', { boards: 24 }],
    ['six boards in urgent order', { boards: 6, order: 'urgent' }],
    ['six boards with Judit black', { boards: 6, juditColor: 'black' }],
  ];
  for (const [name, params] of walking) {
    it(`walking 3 s between tables lands on the formula: ${name}`, async () => {
      const run = { ...classic, boards: 1, ...params, walkSeconds: 3 };
      const r = await simulate(run);
      expect(r.idealSeconds).toBe(idealSeconds(run));
      expect(offBy(r)).toBeLessThan(0.01);
    });
  }

  it('mixed opponents: every figure comes out, and games end only by the move pairs', async () => {
    const r = await simulate({ ...classic, boards: 12, opponentSecondsMax: 80, order: 'urgent', seed: 4 });
    expect(r.opponentSecondsMax).toBe(80);
    expect(r.forfeits).toBe(0);
    expect(r.gamesEndedEarly).toBe(0);
    expect(r.exhibitionSeconds).toBeGreaterThan(r.idealSeconds * 0.9);
  });

  it('a move limit shorter than the opponents forfeits them, and the simulation still ends', async () => {
    const r = await simulate({ ...classic, boards: 3, moveLimitSeconds: 30 });
    expect(r.forfeits).toBe(3);
  });
});

describe('the ideal on games of different lengths', () => {
  it('is the formula when every game lasts M pairs', () => {
    for (const boards of [1, 2, 6, 24]) {
      const inputs = { ...classic, boards, walkSeconds: 3 };
      expect(idealSecondsOfGames(inputs, Array(boards).fill(30))).toBe(idealSeconds(inputs));
    }
  });

  it('a short game shortens her rounds only when she is the bottleneck', () => {
    const long = Array(24).fill(30);
    expect(idealSecondsOfGames(classic, [...long.slice(1), 10])).toBe(idealSeconds({ ...classic, boards: 24 }) - 20 * 5);
    expect(idealSecondsOfGames(classic, [30, 10])).toBe(idealSeconds({ ...classic, boards: 2 }));
  });
});

describe('the simulator’s flags', () => {
  const refused = (args: string[]) => {
    try {
      parseFlags(args);
    } catch (error) {
      expect(error).toBeInstanceOf(FlagError);
      return (error as Error).message;
    }
    throw new Error(`${args.join(' ')} was accepted`);
  };

  it('the defaults are the classic exhibition', () => {
    expect(parseFlags([])).toMatchObject({ boards: 24, juditSeconds: 5, opponentSeconds: 55, movePairs: 30, walkSeconds: 0, order: 'table' });
  });

  it('reads every setting the host form has', () => {
    const flags = parseFlags([
      '--walk-seconds', '3', '--patience-seconds', '10', '--order', 'urgent', '--max-passes', '3',
      '--move-limit-seconds', '120', '--judit-color', 'black', '--opponent-seconds', '0', '--opponent-seconds-max', '40',
    ]);
    expect(flags).toMatchObject({
      walkSeconds: 3, patienceSeconds: 10, order: 'urgent', maxPasses: 3, moveLimitSeconds: 120,
      juditColor: 'black', opponentSeconds: 0, opponentSecondsMax: 40,
    });
  });

  it('each bad value is one plain line naming the flag and its range', () => {
    expect(refused(['--boards', '-3'])).toBe('--boards takes a whole number from 1 to 1000, not "-3"');
    expect(refused(['--boards', '0x10'])).toBe('--boards takes a whole number from 1 to 1000, not "0x10"');
    expect(refused(['--judit-seconds', '1e300'])).toBe('--judit-seconds takes seconds from 0.001 to 600, not "1e300"');
    expect(refused(['--judit-seconds', '0.0001'])).toBe('--judit-seconds takes seconds from 0.001 to 600, not "0.0001"');
    expect(refused(['--opponent-seconds', '1e300'])).toBe('--opponent-seconds takes seconds from 0 to 86400, not "1e300"');
    expect(refused(['--opponent-seconds', '30', '--opponent-seconds-max', '20'])).toMatch(/^--opponent-seconds-max takes/);
    expect(refused(['--order', 'random'])).toBe('--order takes one of table, urgent, not "random"');
    expect(refused(['--moves', '2.5'])).toMatch(/^--moves takes a whole number/);
    expect(refused(['--boards'])).not.toContain('\n');
    expect(refused(['--colour', 'white'])).toMatch(/colour/);
  });

  it('a clock simul: the clock and Judit’s extra time', () => {
    expect(parseFlags(['--clock', '600+5', '--giver-extra-seconds', '3000']).clock).toEqual({ initialSeconds: 600, incrementSeconds: 5, giverExtraSeconds: 3000 });
    expect(parseFlags([]).clock).toBeNull();
    expect(refused(['--clock', '600'])).toMatch(/^--clock takes initial\+increment/);
    expect(refused(['--clock', '0+5'])).toMatch(/^--clock takes/);
    expect(refused(['--giver-extra-seconds', '60'])).toBe('--giver-extra-seconds needs --clock');
  });

  it('reports the flags and Judit’s time left on every board', async () => {
    // 55 s a move against 600 s + 5 s: every opponent flags at their 13th move
    const clock = { initialSeconds: 600, incrementSeconds: 5, giverExtraSeconds: 3000 };
    const slow = await simulate({ boards: 3, juditSeconds: 5, opponentSeconds: 55, movePairs: 30, clock });
    expect(slow.clock).toMatchObject({ juditFlags: 0, opponentFlags: 3 });
    // fast opponents: her 3,600 s on each board last; each board's clock ran while she was at the others
    const fast = await simulate({ boards: 3, juditSeconds: 5, opponentSeconds: 5, movePairs: 10, clock });
    expect(fast.clock!.opponentFlags).toBe(0);
    // at table 1 she made her 10th move at 140 s, 9 of the opponent's 5 s turns in between: 3,600 − 95 + 10 × 5;
    // her own thinking there was 50 s, the rest went by while she was at the other two tables
    expect(fast.clock!.juditSecondsLeft).toEqual([3_555, 3_550, 3_545]);
  });

  it('the clock arithmetic: her clock on the last board uses the exhibition but its opponent’s turns and increments', async () => {
    const inputs = { boards: 24, juditSeconds: 5, opponentSeconds: 15, movePairs: 30 };
    const clock = { initialSeconds: 600, incrementSeconds: 5, giverExtraSeconds: 3000 };
    const run = await simulate({ ...inputs, clock });
    expect(juditClockSeconds(inputs, 5)).toBe(3_015);
    expect(3_600 - run.clock!.juditSecondsLeft[23]).toBe(juditClockSeconds(inputs, 5));
    // one game alone would use M·j = 150 s of it: with 24 boards she needs about 20 times that
    expect(juditClockSeconds(inputs, 5) / (30 * 5)).toBeCloseTo(20.1, 1);
  });

  it('the command says it on one line and exits with code 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/simulate/main.ts', '--boards', '-3'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('--boards takes a whole number from 1 to 1000, not "-3"');
    expect(run.stdout).toBe('');
  });
});
