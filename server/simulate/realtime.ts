import { idealSeconds } from '../../shared/lesson.js';
import { realClock } from '../clock/real.js';
import { simulate, type SimulationParams, type SimulationResult } from './simulate.js';

/** The simulation on the wall clock with every time scaled by `scale` (0.001: 5 s → 5 ms). */
export async function simulateRealtime(params: SimulationParams, scale: number): Promise<SimulationResult> {
  const scaled = { ...params, juditSeconds: params.juditSeconds * scale, opponentSeconds: params.opponentSeconds * scale };
  const r = await simulate(scaled, realClock);
  // report in the unscaled units so the figures read like the classic table
  return {
    ...r,
    juditSeconds: params.juditSeconds,
    opponentSeconds: params.opponentSeconds,
    sequentialSeconds: r.sequentialSeconds / scale,
    exhibitionSeconds: r.exhibitionSeconds / scale,
    idealSeconds: idealSeconds(params),
  };
}
