/**
 * The chat over real sockets: who may write, the message and name rules, the rate limit, what the
 * host can do (delete, mute, turn it off), hostile strings kept as text, and the chat after a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/chat.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { ChatState, SeatGranted } from '../../shared/protocol.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { type Client, connect, createExhibition, startServer, eventually, refused, useServer } from './harness.js';

const server = useServer();



/** A socket that opened the chat, with every message it has been sent since. */
async function reader(id: string): Promise<{ socket: Client; state: ChatState; seen: ChatMessage[]; deleted: number[] }> {
  const socket = await server.client();
  const state = (await socket.emitWithAck('chat:watch', { id })) as ChatState & { ok: true };
  const seen: ChatMessage[] = [];
  const deleted: number[] = [];
  socket.on('chat:message', (msg) => msg.id === id && seen.push(msg.message));
  socket.on('chat:deleted', (msg) => msg.id === id && deleted.push(msg.message));
  socket.on('chat:settings', (msg) => msg.id === id && (state.settings = msg.settings));
  return { socket, state, seen, deleted };
}

async function exhibitionWithPlayers(names: string[]) {
  const created = await createExhibition(server.url(), { name: 'Chatty', boards: names.length + 1, thinkSeconds: 0.01 });
  const player = await server.client();
  const seats: (SeatGranted & { ok: true })[] = [];
  for (const name of names) seats.push((await player.emitWithAck('seat:take', { id: created.id, name })) as SeatGranted & { ok: true });
  return { ...created, player, seats };
}

describe('the chat', () => {
  it('seated players and the host write; everyone reads, the spectator too; a spectator may not write by default', async () => {
    const { id, hostKey, player, seats } = await exhibitionWithPlayers(['Ann']);
    const spectator = await reader(id);
    expect(spectator.state).toMatchObject({ ok: true, messages: [], settings: { mode: 'players', muted: [] } });
    const ann = await player.emitWithAck('chat:send', { id, token: seats[0].token, text: '  Good luck, everyone!  ' });
    expect(ann).toMatchObject({ ok: true, message: { id: 1, author: 'Ann', role: 'player', text: 'Good luck, everyone!' } });
    expect((await player.emitWithAck('chat:send', { id, hostKey, text: 'We start in a minute.' })).ok).toBe(true);
    refused(await spectator.socket.emitWithAck('chat:send', { id, name: 'Watcher', text: 'hello' }), 'FORBIDDEN', /players and the host/);
    await eventually(() => spectator.seen.length === 2);
    expect(spectator.seen.map((m) => `${m.role}:${m.author}:${m.text}`)).toEqual(['player:Ann:Good luck, everyone!', 'host:Host:We start in a minute.']);
  });

  it('length and name rules: 1 to 300 characters of one line, a spectator’s name as any name, no one else’s name', async () => {
    const { id, hostKey, player, seats } = await exhibitionWithPlayers(['Ann']);
    const send = (text: unknown, who: Record<string, string> = { token: seats[0].token }) =>
      (player.emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean; error?: { code: ErrorCode; message: string } }>)('chat:send', { id, text, ...who });
    refused(await send('   '), 'BAD_REQUEST', /A message is needed/);
    refused(await send('x'.repeat(301)), 'BAD_REQUEST', /At most 300/);
    expect((await send('é'.repeat(300))).ok).toBe(true);
    refused(await send('two\nlines'), 'BAD_REQUEST', /line breaks/);
    refused(await send('zero\u200bwidth'), 'BAD_REQUEST', /invisible/);
    refused(await send(42), 'BAD_REQUEST');
    refused(await send('who?', {}), 'BAD_REQUEST', /Say who writes/);
    refused(await send('both', { token: seats[0].token, hostKey }), 'BAD_REQUEST', /Say who writes/);
    refused(await send('forged', { token: 'x'.repeat(32) }), 'FORBIDDEN');
    expect((await player.emitWithAck('host:chatMode', { id, hostKey, mode: 'everyone' })).ok).toBe(true);
    refused(await send('hi', { name: 'ANN' }), 'NAME_TAKEN');
    refused(await send('hi', { name: 'host' }), 'NAME_TAKEN');
    refused(await send('hi', { name: 'Ｊｕｄｉｔ' }), 'NAME_TAKEN');
    refused(await send('hi', { name: 'a\u202ebc' }), 'BAD_REQUEST');
    expect(await send('hi', { name: 'Watcher' })).toMatchObject({ ok: true, message: { author: 'Watcher', role: 'spectator' } });
  });

  it('hostile strings are kept exactly as text', async () => {
    const { id, player, seats } = await exhibitionWithPlayers(['Ann']);
    const watcher = await reader(id);
    const hostile = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"; DROP TABLE chat_messages; --', 'javascript:alert(1)', '{{constructor.constructor("x")()}}'];
    for (const text of hostile) expect((await player.emitWithAck('chat:send', { id, token: seats[0].token, text })).ok).toBe(true);
    await eventually(() => watcher.seen.length === hostile.length);
    expect(watcher.seen.map((m) => m.text)).toEqual(hostile);
    const again = (await (await server.client()).emitWithAck('chat:watch', { id })) as ChatState & { ok: true };
    expect(again.messages.map((m) => m.text)).toEqual(hostile);
  });

  it('rate-limited: five messages in ten seconds from one writer, then a wait; others are not held up', async () => {
    const { id, hostKey, player, seats } = await exhibitionWithPlayers(['Ann']);
    for (let i = 1; i <= 5; i++) expect((await player.emitWithAck('chat:send', { id, token: seats[0].token, text: `m${i}` })).ok).toBe(true);
    refused(await player.emitWithAck('chat:send', { id, token: seats[0].token, text: 'm6' }), 'RATE_LIMITED', /At most 5 messages in 10 s/);
    expect((await player.emitWithAck('chat:send', { id, hostKey, text: 'the host still speaks' })).ok).toBe(true);
  });

  it('the host deletes a message and mutes a name; every reader is told; only the host may', async () => {
    const { id, hostKey, player, seats } = await exhibitionWithPlayers(['Ann', 'Bob']);
    const watcher = await reader(id);
    const sent = await player.emitWithAck('chat:send', { id, token: seats[1].token, text: 'something rude' });
    if (!sent.ok) throw new Error(sent.error.message);
    refused(await player.emitWithAck('host:chatDelete', { id, hostKey: 'y'.repeat(32), message: sent.message.id }), 'FORBIDDEN');
    expect((await player.emitWithAck('host:chatDelete', { id, hostKey, message: sent.message.id })).ok).toBe(true);
    refused(await player.emitWithAck('host:chatDelete', { id, hostKey, message: sent.message.id }), 'NOT_FOUND');
    await eventually(() => watcher.deleted.length === 1);
    expect(watcher.deleted).toEqual([sent.message.id]);

    expect((await player.emitWithAck('host:chatMute', { id, hostKey, name: 'bob', muted: true })).ok).toBe(true);
    refused(await player.emitWithAck('chat:send', { id, token: seats[1].token, text: 'again' }), 'FORBIDDEN', /muted/);
    expect((await player.emitWithAck('chat:send', { id, token: seats[0].token, text: 'Ann may' })).ok).toBe(true);
    await eventually(() => watcher.state.settings.muted.length === 1);
    expect((await player.emitWithAck('host:chatMute', { id, hostKey, name: 'Bob', muted: false })).ok).toBe(true);
    expect((await player.emitWithAck('chat:send', { id, token: seats[1].token, text: 'sorry' })).ok).toBe(true);
    refused(await player.emitWithAck('host:chatMute', { id, hostKey, name: 'Host', muted: true }), 'BAD_REQUEST');

    const texts = ((await player.emitWithAck('chat:watch', { id })) as ChatState & { ok: true }).messages.map((m) => m.text);
    expect(texts).toEqual(['Ann may', 'sorry']);
  });

  it('the host turns the chat off: nobody writes, the host included', async () => {
    const { id, hostKey, player, seats } = await exhibitionWithPlayers(['Ann']);
    expect(await player.emitWithAck('host:chatMode', { id, hostKey, mode: 'off' })).toMatchObject({ ok: true, settings: { mode: 'off' } });
    refused(await player.emitWithAck('chat:send', { id, token: seats[0].token, text: 'hello?' }), 'FORBIDDEN', /off/);
    refused(await player.emitWithAck('chat:send', { id, hostKey, text: 'hello?' }), 'FORBIDDEN', /off/);
    refused(await player.emitWithAck('host:chatMode', { id, hostKey: 'z'.repeat(32), mode: 'everyone' }), 'FORBIDDEN');
  });

  it('the chat and its settings outlive a restart', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'simul-chat-')), 'simul.db');
    const first = await startServer({ store: new SqliteStore(file) });
    const { id, hostKey } = await createExhibition(first.url, { name: 'Kept', boards: 2 });
    let c = await connect(first.url);
    expect((await c.emitWithAck('chat:send', { id, hostKey, text: 'welcome' })).ok).toBe(true);
    expect((await c.emitWithAck('host:chatMute', { id, hostKey, name: 'Troll', muted: true })).ok).toBe(true);
    c.disconnect();
    await first.app.close();
    const second = await startServer({ store: new SqliteStore(file) });
    try {
      c = await connect(second.url);
      const state = (await c.emitWithAck('chat:watch', { id })) as ChatState & { ok: true };
      expect(state.messages.map((m) => m.text)).toEqual(['welcome']);
      expect(state.settings.muted).toEqual(['Troll']);
      c.disconnect();
    } finally {
      await second.app.close();
    }
  });
});
