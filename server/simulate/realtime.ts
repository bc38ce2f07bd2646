import { preciseClock } from '../clock/real.js';
import { simulate, type SimulationParams, type SimulationResult } from './simulate.js';

/** The simulation on the wall clock with every time scaled by `scale` (0.001: 5 s → 5 ms). */
export async function simulateRealtime(params: SimulationParams, scale: number): Promise<SimulationResult> {
  const scaled = (s: number | null | undefined) => (s === null || s === undefined ? s : s * scale);
  const r = await simulate(
    {
      ...params,
      juditSeconds: params.juditSeconds * scale,
      opponentSeconds: params.opponentSeconds * scale,
      opponentSecondsMax: scaled(params.opponentSecondsMax),
      walkSeconds: (params.walkSeconds ?? 0) * scale,
      patienceSeconds: (params.patienceSeconds ?? 0) * scale,
      moveLimitSeconds: scaled(params.moveLimitSeconds),
    },
    preciseClock,
  );
  // report in the unscaled units so the figures read like the classic table
  return {
    ...r,
    juditSeconds: params.juditSeconds,
    opponentSeconds: params.opponentSeconds,
    opponentSecondsMax: params.opponentSecondsMax ?? null,
    walkSeconds: params.walkSeconds ?? 0,
    sequentialSeconds: r.sequentialSeconds / scale,
    exhibitionSeconds: r.exhibitionSeconds / scale,
    idealSeconds: r.idealSeconds / scale,
  };
}
