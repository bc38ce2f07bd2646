/**
 * A connection that drops for a moment (a train's tunnel, a laptop's Wi-Fi) comes back as it was:
 * the player to their seat and their rooms, the spectator to their exhibition, with what was
 * broadcast meanwhile.
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { SeatInfo } from '../../shared/protocol.js';
import { type Client, createExhibition, until, useServer } from './harness.js';

const server = useServer();

/** A client as the site's pages open it. */
async function reconnecting(url: string): Promise<Client> {
  const socket: Client = io(url, { transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/**
 * Cuts the connection under the socket (not a goodbye), runs `meanwhile`, then lets the client
 * reconnect as it would by itself.
 */
async function dropAndReturn(socket: Client, meanwhile: () => Promise<void>): Promise<void> {
  socket.io.reconnection(false);
  const gone = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
  socket.io.engine.close();
  await gone;
  await meanwhile();
  const back = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.io.reconnection(true);
  socket.connect();
  await back;
}

describe('a dropped connection', () => {
  it('brings a player back to their seat and a spectator back to the exhibition, with the news they missed', async () => {
    const url = server.url();
    const { id, hostKey } = await createExhibition(url, { name: 'Tunnel', boards: 3 });
    const host = await server.client();
    let seats: SeatInfo[] = [];
    let spectators = 0;
    // before until()'s own listener, which sees every event before the listeners for that event
    host.onAny((event, msg) => {
      if (event === 'host:seats') seats = msg.seats;
      if (event === 'exhibition:spectators') spectators = msg.count;
    });
    expect((await host.emitWithAck('host:watch', { id, hostKey })).ok).toBe(true);

    const player = await reconnecting(url);
    const spectator = await reconnecting(url);
    try {
      const seat = await player.emitWithAck('seat:take', { id, name: 'Ada' });
      expect(seat.ok).toBe(true);
      expect((await spectator.emitWithAck('exhibition:watch', { id })).ok).toBe(true);
      await until(host, () => seats.length === 1 && seats[0].connected && spectators === 1);

      const seen: string[] = [];
      for (const s of [player, spectator]) s.onAny((event, msg) => event === 'seat:update' && seen.push(msg.opponent ?? ''));
      const other = await server.client();
      await dropAndReturn(player, async () => {
        await until(host, () => seats[0]?.connected === false);
        await dropAndReturn(spectator, async () => {
          await until(host, () => spectators === 0);
          // a second player sits down while both are away
          expect((await other.emitWithAck('seat:take', { id, name: 'Grace' })).ok).toBe(true);
        });
      });

      expect(player.recovered).toBe(true);
      expect(spectator.recovered).toBe(true);
      await until(host, () => seats.length === 2 && seats.every((s) => s.connected) && spectators === 1);
      // each got the broadcast they were away for, once
      await until(player, () => seen.filter((n) => n === 'Grace').length === 2);
      expect(seen).toEqual(['Grace', 'Grace']);
    } finally {
      player.disconnect();
      spectator.disconnect();
    }
  });
});
