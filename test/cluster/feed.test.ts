/**
 * The spectators' feed across processes: a spectator on a process that does not run the
 * exhibition gets its snapshot (forwarded to the owner), every ply in order and the chat, which
 * the owner publishes once for every process to deliver to its own spectators.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/chat.js';
import type { BoardSummary } from '../../shared/domain.js';
import type { CreatedExhibition } from '../../shared/protocol.js';
import { feedLink } from '../feed-link.js';
import { type Client, eventually, seatedBot } from '../integration/harness.js';
import { servicesAnswer, startTestCluster, type TestCluster } from './harness.js';

const available = await servicesAnswer();

describe.skipIf(!available)('the feed across three processes', () => {
  let cluster: TestCluster;
  const opened: Client[] = [];
  beforeAll(async () => {
    cluster = await startTestCluster(3);
  });
  afterAll(async () => {
    for (const socket of opened) socket.disconnect();
    await cluster?.close();
  });

  const exhibitionsHeld = () => Promise.all(cluster.members.map(async (m) => ((await (await fetch(`${m.url}/healthz`)).json()) as { exhibitions: number }).exhibitions));
  const connectTo = async (url: string): Promise<Client> => {
    const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    opened.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  it('a spectator on a process that does not run the exhibition sees every ply in order, and the chat', async () => {
    const before = await exhibitionsHeld();
    const res = await fetch(`${cluster.url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fed from afar', boards: 2, seatsPerAddress: 100, thinkSeconds: 0.05 }),
    });
    const { id, hostKey } = (await res.json()) as CreatedExhibition;
    const after = await exhibitionsHeld();
    const owner = cluster.members[after.findIndex((n, i) => n > before[i])];
    const elsewhere = cluster.members.filter((m) => m !== owner);
    expect(elsewhere).toHaveLength(2);

    // one spectator on each of the other processes, and one through the balancer, as a browser comes
    const spectators = [...elsewhere.map((m) => m.url), cluster.url].map((url) => {
      const { link } = feedLink(url);
      const plies = new Map<number, number[]>();
      const boards = new Map<number, BoardSummary>();
      const chat: ChatMessage[] = [];
      let count = 0;
      link.listen('board:update', ({ board }) => {
        boards.set(board.table, board);
        const seen = plies.get(board.table) ?? [];
        if (seen.at(-1) !== board.ply) seen.push(board.ply);
        plies.set(board.table, seen);
      });
      link.listen('chat:message', ({ message }) => chat.push(message));
      link.listen('exhibition:spectators', (msg) => (count = msg.count));
      return { link, plies, boards, chat, count: () => count };
    });
    for (const s of spectators) {
      expect(await s.link.request('exhibition:watch', { id })).toMatchObject({ ok: true, snapshot: { id, status: 'open' } });
      expect((await s.link.request('chat:watch', { id })).ok).toBe(true);
    }

    const players = await connectTo(owner.url);
    const ann = await seatedBot(players, id, 'Ann', 5);
    await seatedBot(await connectTo(owner.url), id, 'Bob', 7);
    // a spectator of another process writes (the host lets everyone), a player answers
    expect((await players.emitWithAck('host:chatMode', { id, hostKey, mode: 'everyone' })).ok).toBe(true);
    expect(await spectators[0].link.request('chat:send', { id, name: 'Faraway', text: 'Good luck' })).toMatchObject({ ok: true, message: { role: 'spectator' } });
    expect((await players.emitWithAck('chat:send', { id, token: ann.token, text: 'Thanks' })).ok).toBe(true);
    expect((await players.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);

    for (const s of spectators) {
      await eventually(() => s.boards.size === 2 && [...s.boards.values()].every((b) => b.end !== null) && s.chat.length === 2);
      for (const [table, seen] of s.plies) expect(seen).toEqual(Array.from({ length: s.boards.get(table)!.ply }, (_, i) => i + 1));
      expect(s.chat.map((m) => `${m.author}: ${m.text}`)).toEqual(['Faraway: Good luck', 'Ann: Thanks']);
      // counted where the exhibition runs, the count told back to every process
      await eventually(() => s.count() === 3);
    }
  });
});
