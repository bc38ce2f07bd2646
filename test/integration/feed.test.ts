/**
 * The spectators' feed over a real port, through the watch page's own link: the snapshot, every ply
 * in order, a board's moves and the timeline, the chat read and written, a fresh snapshot after a
 * reconnection; bad frames refused with stable codes; the cap per address shared with socket.io.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChatMessage } from '../../shared/chat.js';
import type { BoardSummary, MoveRecord } from '../../shared/domain.js';
import type { FeedAnswer } from '../../shared/feed.js';
import { feedLink, feedUrl } from '../feed-link.js';
import { connect, createExhibition, eventually, refused, seatedBot, startServer, useServer } from './harness.js';

const server = useServer();

/** A raw feed socket: frames as the server sends them, commands numbered by the caller. */
async function rawFeed(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; ask: (frame: { n: number; command: string; payload: unknown }) => Promise<FeedAnswer> }> {
  const ws = new WebSocket(feedUrl(url), { headers });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (answer: FeedAnswer) => void>();
  ws.on('message', (data) => {
    const answer = JSON.parse(String(data)) as FeedAnswer;
    waiting.get(answer.n)?.(answer);
  });
  const ask = (frame: { n: number; command: string; payload: unknown }) =>
    new Promise<FeedAnswer>((resolve) => {
      waiting.set(frame.n, resolve);
      ws.send(JSON.stringify(frame));
    });
  return { ws, ask };
}

/** Why a feed connection was refused: the HTTP status and the error's code. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; code: string } | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(feedUrl(url), { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { error: { code: string } }).error.code }));
    });
    ws.once('error', () => {});
  });
}

describe('the spectators’ feed', () => {
  it('gives the snapshot, then every ply of every board in order, the large board’s moves and the timeline', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'On the feed', boards: 2, thinkSeconds: 0.01 });
    const { link } = feedLink(server.url());
    const plies = new Map<number, number[]>();
    const boards = new Map<number, BoardSummary>();
    const opened: MoveRecord[] = [];
    const timeline: number[] = [];
    const stops = [
      link.listen('board:update', ({ board }) => {
        boards.set(board.table, board);
        const seen = plies.get(board.table) ?? [];
        if (seen.at(-1) !== board.ply) seen.push(board.ply); // a pass or a draw offer sends the same ply again
        plies.set(board.table, seen);
      }),
      link.listen('board:move', ({ table, move }) => {
        timeline.push(table);
        if (table === 1) opened.push(move);
      }),
    ];
    const watched = await link.request('exhibition:watch', { id });
    expect(watched).toMatchObject({ ok: true, snapshot: { id, status: 'open', boards: [] } });

    await seatedBot(await server.client(), id, 'Ann', 4);
    await seatedBot(await server.client(), id, 'Bob', 6);
    const board = await link.request('board:open', { id, table: 1 });
    expect(board).toMatchObject({ ok: true, board: { table: 1, moves: [] } });
    expect((await link.request('timeline:watch', { id })).ok).toBe(true);
    const host = await server.client();
    expect((await host.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);

    await eventually(() => boards.size === 2 && [...boards.values()].every((b) => b.end !== null));
    for (const [table, seen] of plies) {
      const last = boards.get(table)!.ply;
      expect(last).toBeGreaterThan(4);
      expect(seen).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    }
    expect(opened.map((m) => m.ply)).toEqual(Array.from({ length: boards.get(1)!.ply }, (_, i) => i + 1));
    expect(timeline.length).toBe(boards.get(1)!.ply + boards.get(2)!.ply);
    for (const stop of stops) stop();
  });

  it('reads the chat and writes in it as the host allows, the same rules and codes as over socket.io', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'Feed chat', boards: 2 });
    const socket = await server.client();
    const seat = await seatedBot(socket, id, 'Ann', 0);
    const { link } = feedLink(server.url());
    const seen: ChatMessage[] = [];
    const stop = link.listen('chat:message', ({ message }) => seen.push(message));
    expect(await link.request('chat:watch', { id })).toMatchObject({ ok: true, messages: [], settings: { mode: 'players' } });

    expect((await socket.emitWithAck('chat:send', { id, token: seat.token, text: 'Hello from my seat' })).ok).toBe(true);
    refused(await link.request('chat:send', { id, name: 'Watcher', text: 'hi' }), 'FORBIDDEN', /players and the host/);
    expect((await socket.emitWithAck('host:chatMode', { id, hostKey, mode: 'everyone' })).ok).toBe(true);
    refused(await link.request('chat:send', { id, name: 'ANN', text: 'hi' }), 'NAME_TAKEN');
    refused(await link.request('chat:send', { id, name: 'Watcher', text: 'two\nlines' }), 'BAD_REQUEST', /line breaks/);
    expect(await link.request('chat:send', { id, name: 'Watcher', text: 'Good game' })).toMatchObject({ ok: true, message: { author: 'Watcher', role: 'spectator' } });
    // a seated player on the watch page writes as their seat
    expect(await link.request('chat:send', { id, token: seat.token, text: 'Thanks' })).toMatchObject({ ok: true, message: { author: 'Ann', role: 'player' } });
    await eventually(() => seen.length === 3);
    expect(seen.map((m) => m.text)).toEqual(['Hello from my seat', 'Good game', 'Thanks']);
    stop();
  });

  it('counts its spectators, and after a lost connection watches again with a fresh snapshot', async () => {
    const { id } = await createExhibition(server.url(), { name: 'Feed reconnect', boards: 3 });
    const { link, sockets } = feedLink(server.url());
    const snapshots: number[] = [];
    let spectators = 0;
    const stops = [
      link.listen('exhibition:spectators', ({ count }) => (spectators = count)),
      link.whenConnected(() => void link.request('exhibition:watch', { id }).then((r) => r.ok && snapshots.push(r.snapshot.boards.length))),
    ];
    await eventually(() => snapshots.length === 1 && spectators === 1);
    sockets[0].terminate();
    await eventually(() => link.connectionState() === 'reconnecting');
    await seatedBot(await server.client(), id, 'Cleo', 0); // sits down while the spectator is away
    await eventually(() => snapshots.length === 2);
    expect(snapshots).toEqual([0, 1]);
    await eventually(() => spectators === 1); // the lost connection no longer counts
    for (const stop of stops) stop();
  });

  it('refuses bad frames with stable codes, and answers the next good one', async () => {
    const { id } = await createExhibition(server.url(), { name: 'Feed abuse', boards: 2 });
    const { ws, ask } = await rawFeed(server.url());
    expect((await ask({ n: 1, command: 'exhibition:watch', payload: { id: 42 } })).result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await ask({ n: 2, command: 'exhibition:watch', payload: { id, extra: 1 } })).result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // a player's command is not the feed's
    expect((await ask({ n: 3, command: 'move:play', payload: {} })).result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: /no command/ } });
    expect((await ask({ n: 4, command: 'exhibition:watch', payload: { id: 'nope' } })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await ask({ n: 5, command: 'board:open', payload: { id, table: 9 } })).result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    ws.send('not json');
    ws.send(JSON.stringify({ command: 'exhibition:watch' })); // nothing to answer to
    expect((await ask({ n: 6, command: 'exhibition:watch', payload: { id } })).result).toMatchObject({ ok: true, snapshot: { id } });
    // past the largest message the server reads, the connection is closed
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(JSON.stringify({ n: 7, command: 'chat:send', payload: { id, name: 'x', text: 'y'.repeat(20_000) } }));
    expect(await closed).toBe(1009);
  });

  it('limits commands per connection, and connections per address over both transports; pages of other sites are refused', async () => {
    const { app, url } = await startServer({ limits: { maxSocketsPerIp: 3, commandsPerSecondPerSocket: 5 } });
    try {
      const { id } = await createExhibition(url, { name: 'Feed caps', boards: 2 });
      const io = await connect(url);
      const { ws, ask } = await rawFeed(url);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => ask({ n, command: 'exhibition:watch', payload: { id } })));
      expect(answers.filter((a) => !a.result.ok && a.result.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
      const third = await rawFeed(url);
      expect(await refusal(url)).toEqual({ status: 429, code: 'RATE_LIMITED' });
      third.ws.close();
      await eventually(() => third.ws.readyState === WebSocket.CLOSED);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the server hears the close
      expect(await refusal(url, { origin: 'https://elsewhere.example' })).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(await refusal(url)).toBe('open');
      ws.close();
      io.disconnect();
    } finally {
      await app.close();
    }
  });
});
