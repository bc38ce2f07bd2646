import { fail, type Result } from '../../shared/errors.js';
import type { Clock } from '../clock/clock.js';
import type { Exhibition } from '../exhibition/exhibition.js';
import type { Brain } from '../judit/brain.js';
import { type Act, runJudit } from '../judit/loop.js';
import type { Logger } from '../log.js';

/** What Judit's work at one exhibition needs of its room. */
export interface Workplace {
  readonly id: string;
  /** The exhibition now: a room reads it back from its store after a failed write. */
  exhibition(): Exhibition;
  /** Runs a command in the room's turn, as every command runs. */
  execute<T extends object>(apply: (exh: Exhibition) => Result<T>): Promise<Result<T>>;
  /** Aborted when the room is disposed. */
  readonly disposal: AbortSignal;
}

export interface EmploymentDeps {
  clock: Clock;
  log: Logger;
  /** A brain ready to think (an engine started and warmed up), or the reason it cannot be had. */
  createBrain: () => Promise<Brain>;
}

/** Judit at one exhibition: her brain, had before the start and closed at the end, and her loop while it runs. */
export class Employment {
  private brain: Promise<Brain> | null = null;
  /** Stops the loop now running; null while none runs. */
  private loop: AbortController | null = null;

  constructor(
    private readonly place: Workplace,
    private readonly deps: EmploymentDeps,
  ) {}

  get holdsBrain(): boolean {
    return this.brain !== null;
  }

  /** Her brain, started once; one that could not start is tried again at the next call. */
  brainReady(): Promise<Brain> {
    this.brain ??= this.deps.createBrain().catch((error: unknown) => {
      this.brain = null;
      throw error;
    });
    return this.brain;
  }

  async release(): Promise<void> {
    const brain = this.brain;
    this.brain = null;
    await brain?.then((b) => b.close(), () => {});
  }

  /** Her loop runs whenever the exhibition does; without a brain the exhibition waits paused. */
  async start(): Promise<void> {
    const { clock, log } = this.deps;
    const { id, disposal } = this.place;
    let brain: Brain;
    try {
      brain = await this.brainReady();
    } catch (error) {
      log.error({ exhibition: id, err: error }, 'Judit’s engine could not start; the exhibition is paused');
      await this.place.execute((exh) => exh.pause());
      return;
    }
    const exh = this.place.exhibition();
    if (exh.status !== 'running' || this.loop || disposal.aborted) return;
    const stop = new AbortController();
    this.loop = stop;
    // her commands wait their turn like everyone's; once she is stopped they change nothing
    const act: Act = (command) => this.place.execute((x) => (stop.signal.aborted ? fail('WRONG_STATE', 'Judit has stopped.') : command(x)));
    const onEngineFailure = (table: number, error: unknown) =>
      log.error({ exhibition: id, table, err: error }, 'Judit’s engine failed twice at this table; the game ends unfinished');
    try {
      await runJudit(exh, { clock, brain, act, stop: stop.signal, onEngineFailure });
    } catch (error) {
      log.error({ exhibition: id, err: error }, 'Judit stopped on an error; she will be back');
      // a fault the brain's own restarts did not cure: try again shortly with a brain of her own,
      // and if none can be had the exhibition waits paused, as at its start
      await clock.sleep(1000, disposal);
      if (this.loop === stop && this.place.exhibition().status === 'running' && !disposal.aborted) {
        this.stop();
        await this.release();
        void this.start();
      }
    } finally {
      if (this.loop === stop) this.loop = null;
    }
  }

  stop(): void {
    this.loop?.abort();
    this.loop = null;
  }
}
