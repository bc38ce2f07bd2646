import type { ExhibitionEvent } from '../../shared/events.js';
import type { Exhibition } from '../exhibition/exhibition.js';
import { type Act, type JuditCounters, type JuditDeps, runJudit } from '../judit/loop.js';

export type EventListener = (event: ExhibitionEvent) => void;

/**
 * An exhibition driven in memory, without a room: each command is applied at once and its events
 * handed to the listeners. Nothing is stored and no secrets are checked, so it runs anywhere, a
 * browser worker too: the simulator and the core's tests drive the real core and loop through it.
 */
export class DirectPort {
  private readonly listeners = new Set<EventListener>();

  constructor(readonly exh: Exhibition) {}

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies `command` and announces the events it caused. */
  run<T>(command: (exh: Exhibition) => T): T {
    const result = command(this.exh);
    this.announce();
    return result;
  }

  /** Announces what commands applied to the exhibition itself caused (a test may call the core directly). */
  announce(): void {
    for (const event of this.exh.takeEvents()) for (const listener of [...this.listeners]) listener(event);
  }

  readonly act: Act = async (command) => this.run(command);

  /** Puts Judit to work whenever the exhibition runs (now, and at each start or resume). */
  employ(deps: Omit<JuditDeps, 'act'>, onError: (error: unknown) => void, counters?: JuditCounters): void {
    const launch = () => void runJudit(this.exh, { ...deps, act: this.act }, counters).catch(onError);
    if (this.exh.status === 'running') launch();
    this.on((event) => {
      if (event.type === 'status' && event.status === 'running') launch();
    });
  }
}
