/**
 * Candidates over real sockets: on an exhibition that needs the host's approval, visitors ask, the
 * console sees them live, the host accepts (the visitor gets the seat) or declines (told so).
 */
import { describe, expect, it } from 'vitest';
import type { CandidateInfo, SeatGranted } from '../../shared/protocol.js';
import { type Client, createExhibition, eventually, refused, useServer } from './harness.js';

const server = useServer();



type Answer = { candidate: string; accepted: boolean; token?: string };

/** A visitor's connection with the answers it was sent. */
async function visitor(): Promise<{ socket: Client; answers: Answer[] }> {
  const socket = await server.client();
  const answers: Answer[] = [];
  socket.on('candidate:answer', (msg) => answers.push(msg.accepted ? { candidate: msg.candidate, accepted: true, token: msg.token } : { candidate: msg.candidate, accepted: false }));
  return { socket, answers };
}

/** The host's console with the list of waiting visitors as it is told. */
async function console_(id: string, hostKey: string): Promise<{ socket: Client; waiting: () => CandidateInfo[] }> {
  const socket = await server.client();
  const first = await socket.emitWithAck('host:candidates', { id, hostKey });
  if (!first.ok) throw new Error(first.error.message);
  let list = first.candidates;
  socket.on('host:candidates', (msg) => msg.id === id && (list = msg.candidates));
  return { socket, waiting: () => list };
}

describe('candidates', () => {
  it('a visitor asks, the host sees it live and accepts: the visitor gets the seat and plays', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'By invitation', boards: 2, approval: true, juditColor: 'choose' });
    const host = await console_(id, hostKey);
    const ann = await visitor();
    refused(await ann.socket.emitWithAck('seat:take', { id, name: 'Ann' }), 'FORBIDDEN', /ask to join/);
    const asked = await ann.socket.emitWithAck('seat:request', { id, name: 'Ann', color: 'black' });
    if (!asked.ok) throw new Error(asked.error.message);
    await eventually(() => host.waiting().length === 1);
    expect(host.waiting()[0]).toMatchObject({ candidate: asked.candidate, name: 'Ann', color: 'black' });

    const accepted = await host.socket.emitWithAck('host:accept', { id, hostKey, candidate: asked.candidate });
    expect(accepted).toEqual({ ok: true, table: 1 });
    await eventually(() => ann.answers.length === 1);
    expect(ann.answers[0]).toMatchObject({ candidate: asked.candidate, accepted: true });
    await eventually(() => host.waiting().length === 0);
    // the token claims the seat; she plays the colour she picked
    const seat = (await ann.socket.emitWithAck('seat:claim', { id, token: ann.answers[0].token! })) as SeatGranted & { ok: true };
    expect(seat).toMatchObject({ ok: true, table: 1, board: { opponent: 'Ann', juditColor: 'white' } });
    refused(await host.socket.emitWithAck('host:accept', { id, hostKey, candidate: asked.candidate }), 'NOT_FOUND');
  });

  it('the host declines: the visitor is told, and no seat is taken', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'Selective', boards: 2, approval: true });
    const host = await console_(id, hostKey);
    const bob = await visitor();
    const asked = await bob.socket.emitWithAck('seat:request', { id, name: 'Bob' });
    if (!asked.ok) throw new Error(asked.error.message);
    refused(await bob.socket.emitWithAck('host:decline', { id, hostKey: 'k'.repeat(32), candidate: asked.candidate }), 'FORBIDDEN');
    expect((await host.socket.emitWithAck('host:decline', { id, hostKey, candidate: asked.candidate })).ok).toBe(true);
    await eventually(() => bob.answers.length === 1);
    expect(bob.answers[0]).toEqual({ candidate: asked.candidate, accepted: false });
    const snapshot = await (await fetch(`${server.url()}/api/exhibitions/${id}`)).json();
    expect(snapshot.boards).toEqual([]);
    expect(host.waiting()).toEqual([]);
  });

  it('one name waits once; a visitor who leaves stops waiting; an exhibition without approval takes no requests', async () => {
    const { id, hostKey } = await createExhibition(server.url(), { name: 'Queue', boards: 3, approval: true });
    const host = await console_(id, hostKey);
    const cy = await visitor();
    expect((await cy.socket.emitWithAck('seat:request', { id, name: 'Cy' })).ok).toBe(true);
    refused(await (await visitor()).socket.emitWithAck('seat:request', { id, name: 'ＣＹ' }), 'NAME_TAKEN');
    refused(await cy.socket.emitWithAck('seat:request', { id, name: 'bad\u0000name' }), 'BAD_REQUEST');
    await eventually(() => host.waiting().length === 1);
    cy.socket.disconnect();
    await eventually(() => host.waiting().length === 0);

    const open = await createExhibition(server.url(), { name: 'Open doors', boards: 2 });
    refused(await (await visitor()).socket.emitWithAck('seat:request', { id: open.id, name: 'Dee' }), 'WRONG_STATE', /take a seat/);
  });
});
