/**
 * Candidates over the wire: a visitor asks for a seat, the host's console lists who waits and
 * answers each; the answer goes to the visitor's own connection, the seat's token with it.
 */
import type { Result } from '../../shared/errors.js';
import type { CandidateInfo } from '../../shared/protocol.js';
import type { HostCandidate } from '../../shared/schemas.js';
import * as schemas from '../../shared/schemas.js';
import type { Clock } from '../clock/clock.js';
import { type Candidate, Candidates } from '../exhibition/candidates.js';
import type { Directory } from '../rooms/directory.js';
import { notHost, type Room } from '../rooms/room.js';
import { newSecret } from '../secrets.js';
import { room, type Commands, type IoServer } from './socketio.js';

export function candidateCommands(
  io: IoServer,
  rooms: Directory,
  clock: Clock,
): Pick<Commands, 'seat:request' | 'host:candidates' | 'host:accept' | 'host:decline'> {
  /** The waiting visitors by exhibition, and the connection each asked from. */
  const waiting = new Map<string, Candidates>();
  const askedFrom = new Map<string, string>();
  const of = (id: string) => {
    let list = waiting.get(id);
    if (!list) waiting.set(id, (list = new Candidates()));
    return list;
  };
  const info = (id: string): CandidateInfo[] => of(id).list().map(({ id: candidate, name, color, at }) => ({ candidate, name, color, at }));
  const announce = (id: string) => io.to(room.host(id)).emit('host:candidates', { id, candidates: info(id) });
  /** The host's answer, to the visitor's connection (if it is still there). */
  const tell = (id: string, candidate: string, answer: { accepted: true; token: string } | { accepted: false }) => {
    const socket = askedFrom.get(candidate);
    askedFrom.delete(candidate);
    if (socket) io.to(socket).emit('candidate:answer', { id, candidate, ...answer });
  };

  /** The host's answer to one request: the host checked, the visitor taken off the list. */
  const answered = async ({ id, hostKey, candidate }: HostCandidate): Promise<Result<{ candidate: Candidate; room: Room }>> => {
    const found = await rooms.find(id);
    if (!found.ok) return found;
    if (!found.room.isHost(hostKey)) return notHost();
    const answer = of(id).answer(candidate);
    if (!answer.ok) return answer;
    announce(id);
    return { ok: true, candidate: answer.candidate, room: found.room };
  };

  return {
    'seat:request': {
      schema: schemas.seatRequest,
      handle: async (socket, { id, name, color }) => {
        const found = await rooms.find(id);
        if (!found.ok) return found;
        const candidate = { id: newSecret(), name, color: color ?? null, address: socket.handshake.address, at: clock.now() };
        const asked = of(id).ask(found.room.exh, candidate);
        if (!asked.ok) return asked;
        askedFrom.set(candidate.id, socket.id);
        // a visitor who leaves before the answer is no longer waiting
        socket.once('disconnect', () => {
          askedFrom.delete(candidate.id);
          if (of(id).withdraw(candidate.id)) announce(id);
        });
        announce(id);
        return { ok: true, candidate: candidate.id };
      },
    },
    'host:candidates': {
      schema: schemas.hostCommand,
      handle: async (socket, { id, hostKey }) => {
        const found = await rooms.find(id);
        if (!found.ok) return found;
        if (!found.room.isHost(hostKey)) return notHost();
        void socket.join(room.host(id));
        return { ok: true, candidates: info(id) };
      },
    },
    'host:accept': {
      schema: schemas.hostCandidate,
      handle: async (_socket, payload) => {
        const answer = await answered(payload);
        if (!answer.ok) return answer;
        const { id, candidate } = payload;
        const c = answer.candidate;
        const granted = await answer.room.takeSeat(c.name, c.address, c.color, true);
        if (!granted.ok) {
          // the seat could not be given (the last one went meanwhile): the visitor hears no
          tell(id, candidate, { accepted: false });
          return granted;
        }
        tell(id, candidate, { accepted: true, token: granted.token });
        return { ok: true, table: granted.table };
      },
    },
    'host:decline': {
      schema: schemas.hostCandidate,
      handle: async (_socket, payload) => {
        const answer = await answered(payload);
        if (answer.ok) tell(payload.id, payload.candidate, { accepted: false });
        return answer.ok ? { ok: true } : answer;
      },
    },
  };
}
