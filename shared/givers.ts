/**
 * Several givers at once: the tables split into contiguous sections, one giver walking each. The
 * first giver is Judit, then her sisters Zsuzsa and Zsófia; any further ones are numbered.
 */
export const MAX_GIVERS = 8;

const NAMES = ['Judit', 'Zsuzsa', 'Zsófia'];

/** The name of giver `giver` (0 is Judit). */
export function giverName(giver: number): string {
  return NAMES[giver] ?? `Giver ${giver + 1}`;
}

/** One giver's tables: `from`..`to` inclusive, empty (`to` < `from`) when there are more givers than tables. */
export interface Section {
  giver: number;
  from: number;
  to: number;
}

/**
 * `tables` split among `givers`: the first `tables mod givers` sections have ⌈tables/givers⌉ tables,
 * the others ⌊tables/givers⌋, so no section is more than one table longer than another.
 */
export function sections(tables: number, givers: number): Section[] {
  const k = Math.max(1, givers);
  const small = Math.floor(tables / k);
  const big = tables % k;
  const out: Section[] = [];
  let from = 1;
  for (let giver = 0; giver < k; giver++) {
    const size = small + (giver < big ? 1 : 0);
    out.push({ giver, from, to: from + size - 1 });
    from += size;
  }
  return out;
}

/** The giver who walks `table` (tables past the last section belong to the last giver), as `sections` splits them. */
export function giverOf(table: number, tables: number, givers: number): number {
  const k = Math.max(1, givers);
  if (k === 1) return 0;
  const small = Math.floor(tables / k);
  const big = tables % k;
  const i = table - 1;
  // the first `big` sections have small + 1 tables, the others small
  const g = i < big * (small + 1) ? Math.floor(i / (small + 1)) : small === 0 ? k - 1 : big + Math.floor((i - big * (small + 1)) / small);
  return Math.min(k - 1, Math.max(0, g));
}

/** The section sizes, largest first: ⌈N/k⌉ or ⌊N/k⌋ tables each. */
export function sectionSizes(tables: number, givers: number): number[] {
  return sections(tables, givers).map((s) => Math.max(0, s.to - s.from + 1));
}
