import { z } from 'zod';
import { chatModeSchema, chatTextSchema } from './chat.js';
import { UCI_PATTERN } from './chess.js';
import { exhibitionConfigPatchSchema, exhibitionConfigSchema } from './config.js';
import { nameSchema, NAME_MAX } from './names.js';

/** Payload schemas for every client message: the server validates with these, both ends take the types. */

const id = z.string().min(1).max(64);
const secret = z.string().min(16).max(128);
const table = z.number().int().min(1).max(1000);
export const playerNameSchema = nameSchema(NAME_MAX, 'A name');

export const exhibitionRef = z.object({ id }).strict();
export const boardRef = z.object({ id, table }).strict();
/** `color`: the colour the player picks, heeded when the host lets the players choose. */
export const seatTake = z.object({ id, name: playerNameSchema, color: z.enum(['white', 'black']).optional() }).strict();
export const seatClaim = z.object({ id, token: secret }).strict();
export const seatCommand = z.object({ id, token: secret, table }).strict();
export const movePlay = z
  .object({ id, token: secret, table, ply: z.number().int().min(0).max(100_000), uci: z.string().regex(UCI_PATTERN) })
  .strict();
export const hostCommand = z.object({ id, hostKey: secret }).strict();
export const hostKick = z.object({ id, hostKey: secret, table }).strict();
export const hostKickMany = z.object({ id, hostKey: secret, tables: z.array(table).min(1).max(1000) }).strict();
export const hostConfigure = z
  .object({ id, hostKey: secret, config: exhibitionConfigPatchSchema })
  .strict();

/** A visitor asks the host for a seat (an exhibition that needs the host's approval). */
export const seatRequest = seatTake;
/** The host's answer to one visitor's request. */
export const hostCandidate = z.object({ id, hostKey: secret, candidate: secret }).strict();

/**
 * A chat message and who writes it: a seated player by their seat token, the host by the host key,
 * a spectator (when the host lets everyone write) by a name, under the name rule.
 */
export const chatSend = z
  .object({ id, text: chatTextSchema, token: secret.optional(), hostKey: secret.optional(), name: playerNameSchema.optional() })
  .strict()
  .refine((x) => [x.token, x.hostKey, x.name].filter((v) => v !== undefined).length === 1, 'Say who writes: a seat token, the host key or a name.');
export const hostChatDelete = z.object({ id, hostKey: secret, message: z.number().int().min(1).max(2 ** 31) }).strict();
export const hostChatMute = z.object({ id, hostKey: secret, name: playerNameSchema, muted: z.boolean() }).strict();
export const hostChatMode = z.object({ id, hostKey: secret, mode: chatModeSchema }).strict();

/** POST /api/exhibitions */
export const createExhibitionBody = exhibitionConfigSchema;

export type ExhibitionRef = z.infer<typeof exhibitionRef>;
export type BoardRef = z.infer<typeof boardRef>;
export type SeatTake = z.infer<typeof seatTake>;
export type SeatClaim = z.infer<typeof seatClaim>;
export type SeatCommand = z.infer<typeof seatCommand>;
export type MovePlay = z.infer<typeof movePlay>;
export type HostCommand = z.infer<typeof hostCommand>;
export type HostKick = z.infer<typeof hostKick>;
export type HostKickMany = z.infer<typeof hostKickMany>;
export type HostConfigure = z.infer<typeof hostConfigure>;
export const lobbyWatch = z.object({ cursor: z.string().max(200).optional() }).strict();
export type LobbyWatch = z.infer<typeof lobbyWatch>;
export type ChatSend = z.infer<typeof chatSend>;
export type HostChatDelete = z.infer<typeof hostChatDelete>;
export type HostChatMute = z.infer<typeof hostChatMute>;
export type HostChatMode = z.infer<typeof hostChatMode>;
export type HostCandidate = z.infer<typeof hostCandidate>;
