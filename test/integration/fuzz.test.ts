import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors.js';
import type { ClientToServerEvents, SeatGranted } from '../../shared/protocol.js';
import * as schemas from '../../shared/schemas.js';
import { MAX_MESSAGE_BYTES } from '../../server/transport/socketio.js';
import { VirtualClock } from '../../server/clock/virtual.js';
import { mulberry32 } from '../../server/judit/fast-brain.js';
import { type Client, connect, createExhibition, startServer } from './harness.js';

/**
 * Thousands of generated messages, seeded, over every command a client can send: shapes from the
 * payload schemas with real ids, keys and tokens mixed in, and hostile values anywhere. The server
 * must answer each (or ignore it when it cannot be answered), never with INTERNAL, never fall over,
 * and leave everything public as it was whenever it refuses.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const PAYLOADS = 5_000;

/** Every command and the schema its payload is checked by; the type fails to compile if one is missing. */
const COMMANDS: { [E in keyof ClientToServerEvents]: z.ZodType } = {
  'exhibition:watch': schemas.exhibitionRef,
  'exhibition:unwatch': schemas.exhibitionRef,
  'lobby:watch': schemas.lobbyWatch,
  'board:open': schemas.boardRef,
  'board:close': schemas.boardRef,
  'timeline:watch': schemas.exhibitionRef,
  'seat:take': schemas.seatTake,
  'seat:claim': schemas.seatClaim,
  'move:play': schemas.movePlay,
  'game:resign': schemas.seatCommand,
  'game:offerDraw': schemas.seatCommand,
  'host:watch': schemas.hostCommand,
  'host:start': schemas.hostCommand,
  'host:pause': schemas.hostCommand,
  'host:resume': schemas.hostCommand,
  'host:end': schemas.hostCommand,
  'host:kick': schemas.hostKick,
  'host:kickMany': schemas.hostKickMany,
  'host:configure': schemas.hostConfigure,
  'seat:request': schemas.seatRequest,
  'host:candidates': schemas.hostCommand,
  'host:accept': schemas.hostCandidate,
  'host:decline': schemas.hostCandidate,
  'chat:watch': schemas.exhibitionRef,
  'chat:send': schemas.chatSend,
  'host:chatDelete': schemas.hostChatDelete,
  'host:chatMute': schemas.hostChatMute,
  'host:chatMode': schemas.hostChatMode,
};
const EVENTS = Object.keys(COMMANDS) as (keyof ClientToServerEvents)[];


type Answer = { ok: boolean; error?: { code: ErrorCode; message: string } };

/** An exhibition made for the fuzz, with its secrets: a payload aims at one, most fields its own. */
interface Target {
  id: string;
  hostKey: string;
  /** The seat tokens of tables 1 and 2. */
  tokens: string[];
  /** The seat (0 or 1) the payload being generated plays from. */
  aimedSeat: number;
}

describe('fuzzing every command', () => {
  it(`answers ${PAYLOADS} generated payloads without a crash, an INTERNAL answer or a change on refusal`, async () => {
    const random = mulberry32(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const chance = (p: number) => random() < p;

    const hostile = (): unknown => {
      switch (Math.floor(random() * 16)) {
        case 0:
          return 'x'.repeat(2_000 + Math.floor(random() * 12_000)); // under the 16 KB message cap
        case 1: {
          let nested: unknown = 1; // deep nesting, arrays or objects
          const depth = 100 + Math.floor(random() * 2_000);
          const asArray = chance(0.5);
          for (let i = 0; i < depth; i++) nested = asArray ? [nested] : { a: nested };
          return nested;
        }
        case 2:
          return { ['__proto__']: { polluted: true, ok: true } };
        case 3:
          return pick([NaN, Infinity, -Infinity, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, -1, 0.5]);
        case 4:
          return pick(['\u0000', '\ud800', '\u202e', '\u200b', '🂡🂱', 'e2e4\n', 'ÿ'.repeat(40), 'Ｅ２Ｅ４', '𝕖𝟚𝕖𝟜']);
        case 5:
          return pick([null, undefined, true, false, 0, '']);
        case 6:
          return [];
        case 7:
          return {};
        case 8:
          return Array.from({ length: 1_000 }, (_, i) => i);
        case 9:
          return new Uint8Array(Math.floor(random() * 64)); // a binary attachment
        case 10:
          return { constructor: { prototype: { polluted: true } } };
        case 11:
          return '__proto__';
        case 12:
          return { toString: 'x', valueOf: 1, hasOwnProperty: null };
        case 13:
          return [[[[['e2e4']]]]];
        case 14:
          return String(random());
        default:
          return Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
      }
    };

    /** Values that mean something for the fields of that name: mostly the target's own id, key and tokens. */
    const knownFor = (key: string, target: Target): unknown[] | null => {
      const other = pick(targets);
      const seat = target.aimedSeat;
      switch (key) {
        case 'id':
          return [target.id, target.id, target.id, other.id, 'nope'];
        case 'hostKey':
          return [target.hostKey, target.hostKey, other.hostKey, 'h'.repeat(32)];
        case 'token':
          return [target.tokens[seat], target.tokens[seat], target.tokens[1 - seat], pick(other.tokens), 't'.repeat(32)];
        case 'table':
          return [seat + 1, seat + 1, seat + 1, 2 - seat, 3, 4];
        case 'ply':
          return [0, 0, 1, 2];
        case 'uci':
          return ['e2e4', 'd2d4', 'g1f3', 'e7e5', 'e2e4q', 'd2d4n', 'g1f3r', 'a7a8q', 'e1g1', 'e2e5', 'a1a1'];
        case 'name':
          return ['Ann', 'ann', 'ＡＮＮ', 'Zed', 'Ann\u200b', 'A\nB', 'Cy\u0000', ' ', 'Q'.repeat(41), 'Ünïcødé', 'Dee'];
        case 'tables':
          return [[1], [1, 2], [4, 3, 2, 1], [2, 2], [999]];
        default:
          return null;
      }
    };

    /** A value of the schema's shape, hostile in places. */
    const generate = (schema: z.ZodType, target: Target, key = ''): unknown => {
      if (chance(0.05)) return hostile();
      const values = knownFor(key, target);
      if (values && chance(0.92)) return pick(values);
      const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
      switch (def.type) {
        case 'object': {
          const out: Record<string, unknown> = {};
          for (const [k, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
            if (!chance(0.03)) out[k] = generate(field, target, k);
          }
          if (chance(0.03)) out[pick(['__proto__', 'constructor', 'extra', 'prototype'])] = hostile();
          return out;
        }
        case 'string':
          return pick(['', 'a', 'abc', 'x'.repeat(70), '0'.repeat(16), 'ünï', String(Math.floor(random() * 1e6))]);
        case 'number':
          return pick([0, 1, 2, 3, 5, 20, 600, 1000, 1320, 3190, 1001, 86_400, -1, 1.5, 0.001, 1e9, NaN]);
        case 'enum':
          return chance(0.85) ? pick(Object.values(def.entries as Record<string, string>)) : 'neither';
        case 'nullable':
          return chance(0.3) ? null : generate(def.innerType as z.ZodType, target, key);
        case 'optional': // a patch names a few settings, not all
          return chance(0.8) ? undefined : generate(def.innerType as z.ZodType, target, key);
        case 'default':
          return chance(0.3) ? undefined : generate(def.innerType as z.ZodType, target, key);
        case 'array':
          return Array.from({ length: Math.floor(random() * 4) }, () => generate(def.element as z.ZodType, target, key));
        case 'pipe':
          return generate(def.in as z.ZodType, target, key);
        default:
          return hostile();
      }
    };

    const errors: string[] = [];
    const log = pino({ level: 'error' }, new Writable({ write: (line, _enc, done) => (errors.push(String(line)), done()) }));
    // on a virtual clock nothing moves unless a command moves it: Judit thinks for ever, no limit
    // runs out, so any change after a refusal is the refusal's doing; the limiters are lifted
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const { app, url } = await startServer({ clock, log, limits: { commandsPerSecondPerSocket: 1e9, maxRunning: 1_000 } });
    const targets: Target[] = [];
    const setupSocket = await connect(url);

    /** An open exhibition with two seats, and a running one (Judit black, so the opponents have the move). */
    const replenish = async () => {
      for (const [juditColor, start] of [['white', false], ['black', true]] as const) {
        const x = await createExhibition(url, { name: `Fuzz ${targets.length}`, boards: 4, juditColor, thinkSeconds: 5 });
        const target: Target = { id: x.id, hostKey: x.hostKey, tokens: [], aimedSeat: 0 };
        targets.push(target);
        for (const name of ['Ann', 'Bob']) {
          const seat = (await setupSocket.emitWithAck('seat:take', { id: x.id, name })) as SeatGranted & { ok: true };
          target.tokens.push(seat.token);
        }
        if (start) expect((await setupSocket.emitWithAck('host:start', { id: x.id, hostKey: x.hostKey })).ok).toBe(true);
      }
    };

    /**
     * Everything anyone can see of the lobby and of the exhibitions `near` a command, as one string.
     * Who is connected to an ended exhibition is left out: it leaves memory and is read back from
     * the store without them.
     */
    const visible = async (near: Target[]) =>
      JSON.stringify({
        lobby: app.rooms.lobby(),
        exhibitions: await Promise.all(
          near.map(async ({ id }) => {
            const found = await app.rooms.find(id);
            if (!found.ok) return found.error.code;
            const snapshot = found.room.snapshot();
            const over = snapshot.status === 'finished' || snapshot.status === 'aborted';
            return {
              snapshot: over ? { ...snapshot, spectators: null } : snapshot,
              seats: found.room.seats().map((seat) => (over ? { ...seat, connected: null } : seat)),
              timeline: found.room.timeline(),
            };
          }),
        ),
      });

    /** What an accepted command must have done: a move in canonical form, a name by the rule, only the settings named. */
    const accepted = (event: string, payload: unknown, answer: Answer, before: string) => {
      const sent = payload as Record<string, unknown>;
      if (event === 'move:play') {
        const { move } = answer as unknown as { move: { uci: string; san: string } };
        expect(move.uci.length === 5, `${move.uci} (${move.san})`).toBe(move.san.includes('='));
      }
      if (event === 'seat:take') {
        const { board } = answer as unknown as { board: { opponent: string } };
        expect(board.opponent).not.toMatch(/[\p{Cc}\p{Cf}]/u);
        expect(board.opponent).toBe(board.opponent.normalize('NFC').trim());
      }
      if (event === 'host:configure') {
        const { config } = answer as unknown as { config: Record<string, unknown> };
        const old = (JSON.parse(before) as { exhibitions: { snapshot?: { id: string; config: Record<string, unknown> } }[] }).exhibitions.find(
          (x) => x.snapshot?.id === sent.id,
        )!.snapshot!.config;
        const named = Object.keys(sent.config as object);
        for (const key of Object.keys(old)) if (!named.includes(key)) expect(config[key], key).toEqual(old[key]);
      }
    };

    let socket: Client = await connect(url);
    /** One message in one of the forms a client may send; null when the server closed the connection on it. */
    const send = async (event: string, payload: unknown): Promise<Answer | null> => {
      const raw = socket.timeout(10_000) as unknown as { emitWithAck(ev: string, ...args: unknown[]): Promise<Answer> };
      const plain = socket as unknown as { emit(ev: string, ...args: unknown[]): void };
      const form = random();
      let extra: unknown;
      try {
        if (form < 0.06) {
          // no ack, or one that is not a function: ignored; the lobby answers next, in order
          if (chance(0.5)) plain.emit(event, payload);
          else plain.emit(event, payload, pick([42, 'ack', null, { f: 1 }]));
          expect((await raw.emitWithAck('lobby:watch', {})).ok).toBe(true);
          return { ok: false, error: { code: 'BAD_REQUEST', message: 'ignored: it cannot be answered' } };
        }
        if (form < 0.09) return await raw.emitWithAck(event); // an ack and nothing else
        if (form < 0.11) {
          extra = hostile();
          return await raw.emitWithAck(event, payload, extra); // one payload too many
        }
        return await raw.emitWithAck(event, payload);
      } catch (error) {
        // a message over the size cap closes its connection before anything reads it
        const size = JSON.stringify([payload, extra])?.length ?? 0;
        expect(size, `${event}: ${(error as Error).message}`).toBeGreaterThan(MAX_MESSAGE_BYTES - 1_024);
        return null;
      }
    };

    const answered = new Map<string, number>();
    let refusals = 0;
    let dropped = 0;
    try {
      for (let n = 0; n < PAYLOADS; n++) {
        if (n % 100 === 0) await replenish(); // fresh targets, as ends, resignations and kicks wear the old ones
        if (!socket.connected) socket = await connect(url);
        const event = pick(EVENTS);
        const target = chance(0.8) ? pick(targets.slice(-2)) : pick(targets);
        target.aimedSeat = chance(0.5) ? 0 : 1;
        const payload = generate(COMMANDS[event], target);
        // a command aims at one exhibition; the others it might touch by mistake are the newest
        const near = [...new Set([target, ...targets.slice(-2)])];
        const before = await visible(near);
        const answer = await send(event, payload);
        if (!answer) {
          // the socket's seats and watching went with it: that is all that changed, once the
          // server has seen it go (only the setup socket and the new one remain)
          dropped++;
          socket = await connect(url);
          while (((await (await fetch(`${url}/healthz`)).json()) as { sockets: number }).sockets !== 2) {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          continue;
        }
        const code = answer.ok ? 'ok' : (answer.error?.code ?? 'none');
        answered.set(code, (answered.get(code) ?? 0) + 1);
        expect(code, `${event} ${JSON.stringify(payload)?.slice(0, 300)}`).not.toBe('INTERNAL');
        expect(code).not.toBe('RATE_LIMITED');
        if (answer.ok) accepted(event, payload, answer, before);
        else {
          refusals++;
          expect(answer.error?.message.length).toBeGreaterThan(0);
          const after = await visible(near);
          if (after !== before) {
            expect(JSON.parse(after), `${event} ${JSON.stringify(payload)?.slice(0, 300)} changed the state`).toEqual(JSON.parse(before));
          }
        }
      }
      // still serving, and nothing was polluted
      expect((await fetch(`${url}/healthz`)).ok).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(errors).toEqual([]);
      expect(refusals).toBeGreaterThan(PAYLOADS / 2);
      expect(dropped).toBeLessThan(PAYLOADS / 50);
      expect(answered.get('ok') ?? 0).toBeGreaterThan(100); // the real ids and tokens reached real commands
    } finally {
      socket.disconnect();
      setupSocket.disconnect();
      await app.close();
    }
  }, 60_000);
});
