import { z } from 'zod';

/**
 * The one rule for a name a person types (a player's, an exhibition's): it is shown on every board
 * and written into PGN tags, so it must be one line of visible text.
 */

/** Control (NUL, line breaks…), format (zero-width, bidi overrides…) and line/paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Every name, a player's or an exhibition's: it must fit a board's header and a lobby card. */
export const NAME_MAX = 40;

/** Letters as a reader counts them: code points, so one emoji is not two. */
const length = (s: string) => [...s].length;

/** A name: Unicode NFC, trimmed, 1 to `max` characters, nothing invisible. Each refusal says which rule. */
export function nameSchema(max: number, what: string) {
  return z
    .string()
    .max(max * 16, `At most ${max} characters.`) // long before normalising it
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => length(s) >= 1, `${what} is needed.`)
    .refine((s) => length(s) <= max, `At most ${max} characters.`)
    .refine((s) => !INVISIBLE.test(s), 'No line breaks, control or invisible characters (zero-width, direction marks) in a name.');
}

/**
 * What two names are compared by: compatibility-folded (NFKC: full-width and styled letters are the
 * letters they look like), invisible characters dropped, spaces collapsed, case ignored.
 */
function nameKey(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE_ALL, '').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** Whether `a` and `b` read as the same name. */
export const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);
