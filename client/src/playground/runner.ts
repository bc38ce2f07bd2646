/**
 * The page's side of the simulator's worker: one run at a time. A new run while one is going ends
 * the old one with its worker (a run is one long computation: it cannot be interrupted from
 * outside), and a fresh worker takes the new one; an idle worker is kept for the next.
 */
import type { SimulationParams, SimulationResult } from '../../../server/simulate/simulate.js';
import type { Played, RunReply, RunRequest } from './protocol.js';

export interface RunListener {
  progress(simulatedSeconds: number): void;
  done(result: SimulationResult, played: Played): void;
  failed(message: string): void;
}

export class SimulationRunner {
  private worker: Worker | null = null;
  private runs = 0;
  private busy = false;

  constructor(private readonly listener: RunListener) {}

  run(params: SimulationParams): void {
    if (this.busy) this.stopWorker();
    const worker = (this.worker ??= this.startWorker());
    this.busy = true;
    const request: RunRequest = { run: ++this.runs, params };
    worker.postMessage(request);
  }

  dispose(): void {
    this.stopWorker();
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('./simulator.worker.ts', import.meta.url), { type: 'module', name: 'simulator' });
    worker.onmessage = (event: MessageEvent<RunReply>) => this.reply(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.busy = false;
      this.stopWorker();
      this.listener.failed(event.message || 'the simulator could not start');
    };
    return worker;
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.busy = false;
  }

  private reply(reply: RunReply): void {
    if (reply.run !== this.runs) return; // an answer to a run since replaced
    switch (reply.kind) {
      case 'progress':
        this.listener.progress(reply.simulatedSeconds);
        return;
      case 'done':
        this.busy = false;
        this.listener.done(reply.result, reply.played);
        return;
      case 'failed':
        this.busy = false;
        this.listener.failed(reply.message);
        return;
    }
  }
}
