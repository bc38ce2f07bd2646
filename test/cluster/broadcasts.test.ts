/**
 * Three server processes behind HAProxy: clients coming in at one address are spread over the
 * processes, and what happens at the process that runs an exhibition reaches the clients of
 * every process.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExhibitionSummary } from '../../shared/domain.js';
import type { CreatedExhibition } from '../../shared/protocol.js';
import type { Member } from '../../server/cluster/cluster.js';
import { type Client, until } from '../integration/harness.js';
import { servicesAnswer, startTestCluster, type TestCluster } from './harness.js';

const available = await servicesAnswer();

describe.skipIf(!available)('three processes behind the balancer', () => {
  let cluster: TestCluster;
  const restarted: number[] = [];
  beforeAll(async () => {
    cluster = await startTestCluster(3, {}, { onRestart: (member) => restarted.push(member.index) });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  const exhibitionsHeld = () => Promise.all(cluster.members.map(async (m) => ((await (await fetch(`${m.url}/healthz`)).json()) as { exhibitions: number }).exhibitions));

  it('spread the clients over every process, and each hears the news and the moves of an exhibition run by one of them', async () => {
    const before = await exhibitionsHeld();
    const res = await fetch(`${cluster.url}/api/exhibitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Behind the balancer', boards: 4, seatsPerAddress: 100 }),
    });
    expect(res.status).toBe(201);
    const { id, hostKey } = (await res.json()) as CreatedExhibition;
    const after = await exhibitionsHeld();
    const owner = cluster.members[after.findIndex((n, i) => n > before[i])];
    expect(owner).toBeDefined();

    const clients: { socket: Client; member: Member; news: ExhibitionSummary[]; plies: number[] }[] = [];
    for (let i = 0; i < 6; i++) {
      const { socket, member } = await cluster.connect();
      const news: ExhibitionSummary[] = [];
      const plies: number[] = [];
      // onAny: until() looks after every event, and onAny listeners hear it before the others
      socket.onAny((event, msg) => {
        if (event === 'lobby:update' && msg.exhibition.id === id) news.push(msg.exhibition);
        if (event === 'board:update' && msg.id === id) plies.push(msg.board.ply);
      });
      expect((await socket.emitWithAck('lobby:watch', {})).ok).toBe(true);
      expect((await socket.emitWithAck('exhibition:watch', { id })).ok).toBe(true);
      clients.push({ socket, member, news, plies });
    }
    // round robin: two on each
    expect(new Set(clients.map((c) => c.member.index)).size).toBe(3);
    expect(await cluster.sockets()).toEqual([2, 2, 2]);

    const player = clients.find((c) => c.member === owner)!;
    expect((await player.socket.emitWithAck('seat:take', { id, name: 'Ada' })).ok).toBe(true);
    expect((await player.socket.emitWithAck('host:start', { id, hostKey })).ok).toBe(true);
    for (const { socket, news, plies } of clients) {
      await until(socket, () => news.some((n) => n.seatsTaken === 1) && news.some((n) => n.status === 'running'));
      // Judit's first move, made where the exhibition runs, reaches its spectators on every process
      await until(socket, () => plies.includes(1));
    }
  });

  it('keep a long-polling client at one process, by the balancer’s cookie', async () => {
    // every request of a polling connection must reach the process that holds it
    const socket: Client = io(cluster.url, { transports: ['polling'], withCredentials: true, forceNew: true, reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      for (let i = 0; i < 5; i++) expect((await socket.emitWithAck('lobby:watch', {})).ok).toBe(true);
    } finally {
      socket.disconnect();
    }
  });

  it('start a process that died again on its port, and the balancer sends clients to it once it is ready', async () => {
    const victim = cluster.members[2];
    victim.proc.kill('SIGKILL');
    for (let i = 0; i < 600 && cluster.members[2] === victim; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const again = cluster.members[2];
    expect(restarted).toEqual([2]);
    expect([again.port, again.proc.pid !== victim.proc.pid]).toEqual([victim.port, true]);
    const ready = async () => (await fetch(`${again.url}/readyz`).catch(() => null))?.status === 200;
    for (let i = 0; i < 600 && !(await ready()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    // the balancer checks every second: clients reach the new process again
    const landed = new Set<number>();
    for (let i = 0; i < 60 && !landed.has(2); i++) {
      const { socket, member } = await cluster.connect();
      landed.add(member.index);
      socket.disconnect();
      if (!landed.has(2)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(landed.has(2)).toBe(true);
  });
});
