import type { Color } from '../../shared/domain.js';
import { fail, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { Exhibition } from './exhibition.js';

/** Visitors one exhibition keeps waiting at most: a crowd of requests is no way to fill memory. */
export const MAX_WAITING = 100;

/** A visitor asking the host for a seat. */
export interface Candidate {
  /** Known to the visitor and the host only: it names the request in their messages. */
  id: string;
  name: string;
  /** The colour they picked, for an exhibition where the players choose. */
  color: Color | null;
  /** Their network address: an accepted seat counts against its share. */
  address: string;
  at: number;
}

/**
 * The visitors waiting for the host's answer on an exhibition that needs the host's approval.
 * Pure: ids and times come from the caller; accepting seats the candidate through the usual way.
 */
export class Candidates {
  private readonly waiting = new Map<string, Candidate>();

  /** A visitor asks: refused as a seat would be, or when someone of that name waits already. */
  ask(exh: Exhibition, candidate: Candidate): Result<{ candidate: Candidate }> {
    if (!exh.config.approval) return fail('WRONG_STATE', 'This exhibition seats players without asking: take a seat.');
    const can = exh.canSeat(candidate.name);
    if (!can.ok) return can;
    if (this.waiting.size >= MAX_WAITING) return fail('EXHIBITION_FULL', 'Too many visitors are waiting for the host; try again later.');
    if ([...this.waiting.values()].some((c) => sameName(c.name, candidate.name))) {
      return fail('NAME_TAKEN', `Someone called ${candidate.name} is waiting for the host already.`);
    }
    this.waiting.set(candidate.id, candidate);
    return { ok: true, candidate };
  }

  /** The host's answer takes the candidate off the list, whichever it is. */
  answer(id: string): Result<{ candidate: Candidate }> {
    const candidate = this.waiting.get(id);
    if (!candidate) return fail('NOT_FOUND', 'That visitor is no longer waiting.');
    this.waiting.delete(id);
    return { ok: true, candidate };
  }

  /** The visitor left before an answer. */
  withdraw(id: string): boolean {
    return this.waiting.delete(id);
  }

  list(): Candidate[] {
    return [...this.waiting.values()].sort((a, b) => a.at - b.at);
  }
}
