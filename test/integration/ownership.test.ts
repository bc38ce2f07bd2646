/**
 * Two server processes (in one test process) on one PostgreSQL schema and one Redis prefix: each
 * exhibition is served by the process holding its lease, the other forwards to it, a process that
 * goes takes nothing with it, and one whose lease was taken writes nothing more. The spectators'
 * feed crosses from the holder only to a process with spectators of the exhibition.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../server/app.js';
import { realClock } from '../../server/clock/real.js';
import { FastBrain } from '../../server/judit/fast-brain.js';
import { createLogger } from '../../server/log.js';
import { connectRedis, type SharedRedis } from '../../server/redis.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { connect, type Client, seatedBot } from './harness.js';
import { feedLink } from '../feed-link.js';
import type { BoardSummary } from '../../shared/domain.js';
import { dropSchemas, freshSchema, POSTGRES_URL, postgresAnswers, REDIS_URL, redisAnswers } from '../services.js';
import { UNLIMITED } from '../unlimited.js';
import type { CreatedExhibition, LobbyPage } from '../../shared/protocol.js';
import { HOUSE_NAME, type HouseSettings } from '../../server/rooms/directory.js';

const available = (await postgresAnswers()) && (await redisAnswers());
const schema = freshSchema('simul_owners');
const emptySchema = freshSchema('simul_house');
const log = createLogger('silent');
const opened: { app: App; redis: SharedRedis }[] = [];
const sockets: Client[] = [];

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const { app, redis } of opened) {
    await app.close().catch(() => {});
    await redis.close();
  }
  if (available) await dropSchemas([schema, emptySchema]);
});

/** A server process: its own store connections and Redis connection, on the shared schema and prefix. */
async function serverProcess(owner: string, { on = schema, house }: { on?: string; house?: HouseSettings } = {}): Promise<{ app: App; url: string; store: PostgresStore }> {
  const store = await PostgresStore.open(POSTGRES_URL, { schema: on });
  const redis = await connectRedis(REDIS_URL, `${on}:`, log);
  const app = await createApp({
    clock: realClock,
    createBrain: async () => new FastBrain({ clock: realClock }),
    store,
    log,
    limits: UNLIMITED,
    redis,
    cluster: { leaseSeconds: 2 },
    owner,
    house,
  });
  opened.push({ app, redis });
  const port = await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}`, store };
}

async function create(url: string, config: object): Promise<CreatedExhibition> {
  const res = await fetch(`${url}/api/exhibitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });
  return (await res.json()) as CreatedExhibition;
}

async function client(url: string): Promise<Client> {
  const socket = await connect(url);
  sockets.push(socket);
  return socket;
}

const until = async (condition: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await condition()).toBe(true);
};

describe.skipIf(!available)('processes sharing PostgreSQL and Redis', () => {
  it('serve each exhibition from its lease holder, forward to it, and take it over when it goes', async () => {
    const one = await serverProcess('one');
    const two = await serverProcess('two');
    const { id, hostKey } = await create(one.url, { name: 'Shared', boards: 2, juditColor: 'black', thinkSeconds: 0.01 });
    expect(one.app.rooms.held(id)).toBeDefined();
    expect(two.app.rooms.held(id)).toBeUndefined();

    // a player and the host at the process that does not hold it: forwarded, answered as usual
    const player = await client(two.url);
    const seat = await player.emitWithAck('seat:take', { id, name: 'Ann' });
    if (!seat.ok) throw new Error(seat.error.message);
    expect((await player.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    const moves: number[] = [];
    player.on('board:move', ({ move }) => moves.push(move.ply));
    const played = await player.emitWithAck('move:play', { id, token: seat.token, table: seat.table, ply: 0, uci: 'e2e4' });
    expect(played.ok).toBe(true);
    await until(() => moves.includes(2)); // Judit's answer, announced at the holder, heard here
    // the other's lobby lists it as it is: running, one seat taken
    const listed = async () => ((await (await fetch(`${two.url}/api/exhibitions`)).json()) as LobbyPage).exhibitions.find((x) => x.id === id);
    await until(async () => (await listed())?.status === 'running');
    expect((await listed())?.seatsTaken).toBe(1);

    const watcher = await client(two.url);
    expect((await watcher.emitWithAck('exhibition:watch', { id })).ok).toBe(true);

    // the holder goes: the other takes the exhibition over, and the seat is claimed there
    await one.app.close();
    await until(() => two.app.rooms.held(id) !== undefined);
    // it counts who was connected all along: the player (not abandoned as if nobody were) and the spectator
    const presence = two.app.rooms.held(id)!.presence;
    await until(() => presence.connectedAt(seat.table) === 1 && presence.spectators === 1);
    expect(presence.idleSince).toBeNull();
    const again = await client(two.url);
    const claimed = await again.emitWithAck('seat:claim', { id, token: seat.token });
    if (!claimed.ok) throw new Error(claimed.error.message);
    expect(claimed.board.moves.map((m) => m.by)).toEqual(['opponent', 'judit']);
    expect(claimed.board.moves[0].uci).toBe('e2e4');
    const next = await again.emitWithAck('move:play', { id, token: seat.token, table: seat.table, ply: 2, uci: 'd2d4' });
    expect(next.ok).toBe(true);
  });

  it('forward the chat and seat requests to the holder: written once, stored, heard on both', async () => {
    const four = await serverProcess('four');
    const five = await serverProcess('five');
    const { id, hostKey } = await create(four.url, { name: 'Talkative', boards: 2, approval: true });
    expect(five.app.rooms.held(id)).toBeUndefined();

    // the host at the holder, a visitor at the other: both read the chat, the visitor's line reaches both
    const host = await client(four.url);
    const visitor = await client(five.url);
    const heard = { host: [] as string[], visitor: [] as string[] };
    host.on('chat:message', ({ message }) => heard.host.push(message.text));
    visitor.on('chat:message', ({ message }) => heard.visitor.push(message.text));
    expect((await host.emitWithAck('chat:watch', { id })).ok).toBe(true);
    expect((await visitor.emitWithAck('chat:watch', { id })).ok).toBe(true);
    expect((await visitor.emitWithAck('host:chatMode', { id, hostKey, mode: 'everyone' })).ok).toBe(true);
    const sent = await visitor.emitWithAck('chat:send', { id, name: 'Bea', text: 'Hello from the other server' });
    expect(sent.ok).toBe(true);
    await until(() => heard.host.length === 1 && heard.visitor.length === 1);
    expect((await five.store.loadChat(id, 10)).messages.map((m) => m.text)).toEqual(['Hello from the other server']);
    // its rules are the holder's, applied once: the host mutes Bea from the other server, and she is refused
    expect((await visitor.emitWithAck('host:chatMute', { id, hostKey, name: 'Bea', muted: true })).ok).toBe(true);
    const muted = await visitor.emitWithAck('chat:send', { id, name: 'Bea', text: 'Still here?' });
    expect(muted.ok ? null : muted.error.code).toBe('FORBIDDEN');

    // a seat asked for at the other server: the host hears of it, accepts, and the visitor sits
    const waiting: number[] = [];
    host.on('host:candidates', ({ candidates }) => waiting.push(candidates.length));
    expect((await host.emitWithAck('host:candidates', { id, hostKey })).ok).toBe(true);
    let token: string | null = null;
    visitor.on('candidate:answer', (answer) => (token = answer.accepted ? answer.token : null));
    const asked = await visitor.emitWithAck('seat:request', { id, name: 'Bea' });
    if (!asked.ok) throw new Error(asked.error.message);
    await until(() => waiting.includes(1));
    const accepted = await host.emitWithAck('host:accept', { id, hostKey, candidate: asked.candidate });
    if (!accepted.ok) throw new Error(accepted.error.message);
    await until(() => token !== null);
    const seat = await visitor.emitWithAck('seat:claim', { id, token: token! });
    if (!seat.ok) throw new Error(seat.error.message);
    expect(seat.table).toBe(accepted.table);

    // ended at its holder: the other's lobby lists it among the results
    expect((await host.emitWithAck('host:end', { id, hostKey })).ok).toBe(true);
    const listed = async () => ((await (await fetch(`${five.url}/api/exhibitions`)).json()) as LobbyPage).exhibitions.find((x) => x.id === id);
    await until(async () => (await listed())?.status === 'aborted');
  });

  it('keep a visitor waiting for the host on the list when the exhibition moves to the other process', async () => {
    const six = await serverProcess('six');
    const seven = await serverProcess('seven');
    const { id, hostKey } = await create(six.url, { name: 'Moving', boards: 2, approval: true });
    const visitor = await client(seven.url);
    let token: string | null = null;
    visitor.on('candidate:answer', (answer) => (token = answer.accepted ? answer.token : null));
    const asked = await visitor.emitWithAck('seat:request', { id, name: 'Cleo' });
    if (!asked.ok) throw new Error(asked.error.message);

    // its holder goes, and another takes it over (the processes of the tests before are still up):
    // the visitor's process asks the new one again, under the same id
    await six.app.close();
    const host = await client(seven.url);
    await until(async () => {
      const listed = await host.emitWithAck('host:candidates', { id, hostKey });
      return listed.ok && listed.candidates.some((c) => c.candidate === asked.candidate && c.name === 'Cleo');
    });
    const accepted = await host.emitWithAck('host:accept', { id, hostKey, candidate: asked.candidate });
    if (!accepted.ok) throw new Error(accepted.error.message);
    await until(() => token !== null);
    const seat = await visitor.emitWithAck('seat:claim', { id, token: token! });
    expect(seat.ok && seat.table).toBe(accepted.table);
  });

  it('relay the spectators’ feed only to a process with spectators of the exhibition, every ply from when one comes', async () => {
    const eight = await serverProcess('eight');
    const nine = await serverProcess('nine');
    const { id, hostKey } = await create(eight.url, { name: 'Quiet corner', boards: 2, thinkSeconds: 0.01, seatsPerAddress: 10 });
    const relayed = async (url: string, way: 'published' | 'received') =>
      Number(new RegExp(`^simul_feed_relay_${way}_total (\\d+)`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
    /** A feed spectator: the plies of the board updates it is sent, per table, and each board as last sent. */
    const spectator = (url: string) => {
      const { link } = feedLink(url);
      const plies = new Map<number, number[]>();
      const boards = new Map<number, BoardSummary>();
      link.listen('board:update', ({ board }) => {
        boards.set(board.table, board);
        plies.set(board.table, [...(plies.get(board.table) ?? []), board.ply]);
      });
      return { link, plies, boards, ply: (table: number) => boards.get(table)?.ply ?? 0 };
    };

    // a spectator at the holder alone: its broadcasts go to no other process
    const near = spectator(eight.url);
    expect((await near.link.request('exhibition:watch', { id })).ok).toBe(true);
    await seatedBot(await client(eight.url), id, 'Ann', 30);
    await seatedBot(await client(eight.url), id, 'Bob', 30);
    expect((await (await client(eight.url)).emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    await until(() => near.ply(1) >= 6);
    const published = await relayed(eight.url, 'published');
    const ply = near.ply(1);
    await until(() => near.ply(1) >= ply + 6);
    expect(await relayed(eight.url, 'published')).toBe(published);
    expect(await relayed(nine.url, 'received')).toBe(0);

    // a spectator comes at the other process: from the state it is given, every ply after it, in order
    const far = spectator(nine.url);
    const watched = await far.link.request('exhibition:watch', { id });
    if (!watched.ok) throw new Error(watched.error.message);
    await until(() => far.boards.size === 2 && [...far.boards.values()].every((b) => b.end !== null));
    for (const start of watched.snapshot.boards) {
      const later = [...new Set(far.plies.get(start.table)!.filter((p) => p > start.ply))];
      const last = far.boards.get(start.table)!.ply;
      expect(later).toEqual(Array.from({ length: last - start.ply }, (_, i) => start.ply + 1 + i));
    }
    expect(await relayed(nine.url, 'received')).toBeGreaterThan(0);
    expect(await relayed(eight.url, 'published')).toBeGreaterThan(published);
  });

  it('stop relaying to a process once its last spectator of the exhibition leaves', async () => {
    const ten = await serverProcess('ten');
    const eleven = await serverProcess('eleven');
    const { id, hostKey } = await create(ten.url, { name: 'Passing by', boards: 2, thinkSeconds: 0.01, seatsPerAddress: 10 });
    const received = async () => Number(/^simul_feed_relay_received_total (\d+)/m.exec(await (await fetch(`${eleven.url}/metrics`)).text())?.[1]);
    // a spectator at the holder, to see the games go on
    const near = feedLink(ten.url).link;
    let ply = 0;
    near.listen('board:update', ({ board }) => board.table === 1 && (ply = board.ply));
    expect((await near.request('exhibition:watch', { id })).ok).toBe(true);
    await seatedBot(await client(ten.url), id, 'Ann', 200);
    await seatedBot(await client(ten.url), id, 'Bob', 200);
    const host = await client(ten.url);
    expect((await host.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);

    const far = feedLink(eleven.url).link;
    expect((await far.request('exhibition:watch', { id })).ok).toBe(true);
    await until(async () => (await received()) > 0);
    expect((await far.request('exhibition:unwatch', { id })).ok).toBe(true);
    // what was published before the other process stopped listening may still land
    const after = ply;
    await until(() => ply >= after + 2);
    const heard = await received();
    const later = ply;
    await until(() => ply >= later + 6);
    expect(await received()).toBe(heard);
    expect((await host.emitWithAck('host:end', { id, hostKey })).ok).toBe(true);
  });

  it('open one house exhibition between them when they start together on an empty database', async () => {
    const house: HouseSettings = { boards: 4, elo: null, thinkSeconds: 0.05, moveLimitSeconds: 300 };
    const [six, seven] = await Promise.all([serverProcess('six', { on: emptySchema, house }), serverProcess('seven', { on: emptySchema, house })]);
    const houses = [six.app.rooms.house(), seven.app.rooms.house()].filter((r) => r !== null);
    expect(houses.length).toBe(1);
    const stored = await six.store.loadActive();
    expect(stored.filter((x) => 'header' in x && x.header.config.name === HOUSE_NAME).length).toBe(1);
  });

  it('stop a room whose lease another took: it answers no more and writes nothing', async () => {
    const three = await serverProcess('three');
    const { id, hostKey } = await create(three.url, { name: 'Fenced', boards: 2 });
    const room = three.app.rooms.held(id)!;
    // another owner takes the lease as if this process had hung past its expiry
    await three.store.releaseLease(id, 'three', room.epoch!);
    expect(await three.store.acquireLease(id, 'elsewhere', 60_000)).toBe(room.epoch! + 1);
    const host = await client(three.url);
    const renamed = await host.emitWithAck('host:configure', { id, hostKey, config: { name: 'Renamed by a stale owner' } });
    expect(renamed.ok).toBe(false);
    expect(three.app.rooms.held(id)).toBeUndefined();
    const stored = await three.store.load(id);
    expect(stored && 'header' in stored ? stored.header.config.name : null).toBe('Fenced');
  });
});
