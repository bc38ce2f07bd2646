import { z } from 'zod';
import { MAX_GIVERS } from './givers.js';
import { NAME_MAX, nameSchema } from './names.js';

/**
 * Judit's colour on every board; `alternate` gives her white on odd tables, black on even ones;
 * `choose` lets each player pick at their seat; `random` draws it per table, the same after a restart.
 */
export const juditColorSchema = z.enum(['white', 'black', 'alternate', 'choose', 'random']);

/** How Judit picks her next table: round robin, or the board that has waited longest for her. */
export const visitOrderSchema = z.enum(['table', 'urgent']);

const seconds = (max: number) => z.number().finite().min(0).max(max);

/**
 * A clock per side on every board. Judit's clock on a board runs whenever it is her move there, also
 * while she is at other tables: her clocks drain in parallel, hence her extra time.
 */
export const clockSchema = z
  .object({
    initialSeconds: seconds(86_400).int().min(1),
    /** Added to the mover's clock after each move. */
    incrementSeconds: seconds(600).int().default(0),
    /** Judit's extra time on every board, on top of the initial time. */
    giverExtraSeconds: seconds(864_000).int().default(0),
  })
  .strict();

export const DESCRIPTION_MAX = 1000;

/** The host's settings for one exhibition: the single source of the config type. Times in seconds. */
export const exhibitionConfigSchema = z
  .object({
    name: nameSchema(NAME_MAX, 'A name for the exhibition').default('Simul'),
    boards: z.number().int().min(1).max(1000),
    /** Seats one network address may take; a family or a club behind one router needs a few. */
    seatsPerAddress: z.number().int().min(1).max(1000).default(4),
    juditColor: juditColorSchema.default('white'),
    /** Judit's think time per move. */
    thinkSeconds: seconds(600).min(0.001).default(3),
    /** Time to walk from one table to the next. */
    walkSeconds: seconds(600).default(0),
    /** How long Judit waits at a table whose opponent has not moved before she walks on. */
    patienceSeconds: seconds(600).default(0),
    /** Per-move limit for opponents; past it the opponent forfeits. Null: no limit. */
    opponentMoveLimitSeconds: seconds(86_400).min(1).nullable().default(null),
    /** Times Judit may find an opponent not ready before that opponent forfeits. Null: no limit. */
    maxPasses: z.number().int().min(0).max(10_000).nullable().default(null),
    order: visitOrderSchema.default('table'),
    /** Givers playing at once, each walking her own contiguous section of the tables (Judit first). */
    givers: z.number().int().min(1).max(MAX_GIVERS).default(1),
    /** Judit's playing strength (UCI_Elo); null plays at full strength. */
    elo: z.number().int().min(1320).max(3190).nullable().default(2735),
    /** Judit accepts a draw offer only from this full move on… */
    drawMinMove: z.number().int().min(1).max(500).default(20),
    /** …and only when her evaluation is within this many centipawns of level. */
    drawMaxCp: z.number().int().min(0).max(1000).default(25),
    /** Judit resigns when her evaluation stays at or below minus this many centipawns… (null: never) */
    resignCp: z.number().int().min(100).max(10_000).nullable().default(700),
    /** …for this many of her moves in a row. */
    resignAfterMoves: z.number().int().min(1).max(50).default(3),
    /** Seats stay open while it runs: a latecomer takes a free table and plays from the start position. */
    lateJoin: z.boolean().default(false),
    /** Visitors ask to join and the host accepts or declines each (lichess's candidates). */
    approval: z.boolean().default(false),
    /** Chess clocks on every board; null plays without. */
    clock: clockSchema.nullable().default(null),
    /** Plain text for the lobby card and the spectator page; links in it are made clickable. */
    description: z
      .string()
      .max(DESCRIPTION_MAX * 4)
      .transform((s) => s.normalize('NFC').replace(/\r\n?/g, '\n').trim())
      .refine((s) => [...s].length <= DESCRIPTION_MAX, `At most ${DESCRIPTION_MAX} characters.`)
      .refine((s) => !/[^\P{Cc}\n\t]|[\p{Cf}\p{Zl}\p{Zp}]/u.test(s), 'No control or invisible characters in the description.')
      .default(''),
  })
  .strict();

type WithoutDefaults<S extends z.core.$ZodShape> = { [K in keyof S]: S[K] extends z.ZodDefault<infer T> ? T : S[K] };

/**
 * Some settings changed, the others left as they are: every field optional and none defaulted
 * (`.partial()` would still fill a default for each field left out, resetting it).
 */
export const exhibitionConfigPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(exhibitionConfigSchema.shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? field.unwrap() : field]),
    ) as WithoutDefaults<typeof exhibitionConfigSchema.shape>,
  )
  .partial()
  .strict();

export type ExhibitionConfigPatch = z.output<typeof exhibitionConfigPatchSchema>;
export type ExhibitionConfigInput = z.input<typeof exhibitionConfigSchema>;
export type ExhibitionConfig = z.output<typeof exhibitionConfigSchema>;
export type ClockSetting = z.output<typeof clockSchema>;
export type JuditColorSetting = z.infer<typeof juditColorSchema>;
export type VisitOrder = z.infer<typeof visitOrderSchema>;

export function parseConfig(input: unknown): ExhibitionConfig {
  return exhibitionConfigSchema.parse(input);
}
