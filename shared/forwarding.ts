/**
 * What server processes sharing Redis tell each other about the exhibitions they serve: a request
 * to the one serving an exhibition and its reply, who came or went, and a takeover. Each is JSON on
 * a Redis channel, validated with these as it is read.
 */
import { z } from 'zod';

/** What a process may ask of an exhibition another one serves: an operation of its room. */
export const forwardedOps = [
  'snapshot',
  'detail',
  'timeline',
  'takeSeat',
  'claimSeat',
  'move',
  'resign',
  'offerDraw',
  'hostWatch',
  'start',
  'pause',
  'resume',
  'end',
  'kick',
  'kickMany',
  'configure',
  'chatRead',
  'chatSend',
  'chatDelete',
  'chatMute',
  'chatMode',
  'seatRequest',
  'seatWithdraw',
  'candidates',
  'accept',
  'decline',
] as const;
export type OpName = (typeof forwardedOps)[number];

/** `op` on exhibition `id`, asked by process `from` with its number `n`; the args as its client's command gave them, validated there. */
export const forwardedRequest = z.object({
  from: z.string().max(200),
  n: z.number().int(),
  id: z.string().max(64),
  op: z.enum(forwardedOps),
  args: z.record(z.string(), z.unknown()),
});

/** The serving process's answer to request `n`, on the asker's own channel. */
export const forwardedReply = z.object({ n: z.number().int(), result: z.object({ ok: z.boolean() }).passthrough() });

/** Who came or went: a spectator, the host, or the player of a table. */
export const presence = z.union([z.enum(['spectator', 'host']), z.number().int()]);
export type Presence = z.infer<typeof presence>;

/** Someone came (1) or went (-1) at exhibition `id`, told to the process serving it. */
export const presenceChange = z.object({ id: z.string().max(64), who: presence, delta: z.union([z.literal(1), z.literal(-1)]) });

/** Exhibition `id` has a new owner. */
export const exhibitionTaken = z.object({ id: z.string() });
