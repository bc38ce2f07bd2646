/**
 * Candidates over the wire: a visitor asks for a seat, the host's console lists who waits and
 * answers each; the answer goes to the visitor's own connection, the seat's token with it. The list
 * is kept where the exhibition is served, and every command is forwarded there; the answer and the
 * list reach the visitor and the host on any process through the adapter.
 */
import type { Color } from '../../shared/domain.js';
import type { Result } from '../../shared/errors.js';
import type { CandidateInfo } from '../../shared/protocol.js';
import * as schemas from '../../shared/schemas.js';
import type { Clock } from '../clock/clock.js';
import { type Candidate, Candidates } from '../exhibition/candidates.js';
import { notHost, type Room } from '../rooms/room.js';
import { newSecret } from '../secrets.js';
import type { RoomAccess } from './forward.js';
import type { Commands, IoServer, IoSocket } from './socketio.js';
import { room } from './topics.js';

/** A seat asked for at exhibition `id` and not answered yet, as the visitor's process keeps it. */
export interface Candidacy {
  id: string;
  candidate: string;
  name: string;
  color: Color | null;
}

/**
 * The list of visitors waiting is kept by the process serving the exhibition: a new one starts it
 * empty, so each process asks again for its own visitors still waiting, under the same ids.
 */
export function askAgain(access: RoomAccess, socket: IoSocket, id: string): void {
  for (const c of socket.data.candidacies) {
    if (c.id !== id) continue;
    void access.run(id, 'seatRequest', { name: c.name, color: c.color, address: socket.handshake.address, socket: socket.id, candidate: c.candidate });
  }
}

/** The visitors waiting on the exhibitions served here, and the connection each asked from. */
export class CandidateDesk {
  private readonly waiting = new Map<string, Candidates>();
  private readonly askedFrom = new Map<string, string>();

  constructor(
    private readonly io: IoServer,
    private readonly clock: Clock,
  ) {}

  /** `candidate`: the id of a request its visitor's process asks again of a new owner. */
  request(r: Room, { name, color, address, socket, candidate: again }: { name: string; color: Color | null; address: string; socket: string; candidate?: string }) {
    const candidate = { id: again ?? newSecret(), name, color, address, at: this.clock.now() };
    const asked = this.of(r.id).ask(r.exh, candidate);
    if (!asked.ok) return asked;
    this.askedFrom.set(candidate.id, socket);
    this.announce(r.id);
    return { ok: true as const, candidate: candidate.id };
  }

  /** The visitor left before the answer. */
  withdraw(r: Room, { candidate }: { candidate: string }) {
    this.askedFrom.delete(candidate);
    if (this.of(r.id).withdraw(candidate)) this.announce(r.id);
    return { ok: true as const };
  }

  list(r: Room, { hostKey }: { hostKey: string }) {
    return r.isHost(hostKey) ? { ok: true as const, candidates: this.info(r.id) } : notHost();
  }

  async accept(r: Room, args: { hostKey: string; candidate: string }) {
    const answer = this.answered(r, args);
    if (!answer.ok) return answer;
    const c = answer.candidate;
    const granted = await r.takeSeat(c.name, c.address, c.color, true);
    if (!granted.ok) {
      // the seat could not be given (the last one went meanwhile): the visitor hears no
      this.tell(r.id, c.id, { accepted: false });
      return granted;
    }
    this.tell(r.id, c.id, { accepted: true, token: granted.token });
    return { ok: true as const, table: granted.table };
  }

  decline(r: Room, args: { hostKey: string; candidate: string }) {
    const answer = this.answered(r, args);
    if (!answer.ok) return answer;
    this.tell(r.id, answer.candidate.id, { accepted: false });
    return { ok: true as const };
  }

  private of(id: string): Candidates {
    let list = this.waiting.get(id);
    if (!list) this.waiting.set(id, (list = new Candidates()));
    return list;
  }

  private info(id: string): CandidateInfo[] {
    return this.of(id)
      .list()
      .map(({ id: candidate, name, color, at }) => ({ candidate, name, color, at }));
  }

  private announce(id: string): void {
    this.io.to(room.host(id)).emit('host:candidates', { id, candidates: this.info(id) });
  }

  /** The host's answer to one request: the host checked, the visitor taken off the list. */
  private answered(r: Room, { hostKey, candidate }: { hostKey: string; candidate: string }): Result<{ candidate: Candidate }> {
    if (!r.isHost(hostKey)) return notHost();
    const answer = this.of(r.id).answer(candidate);
    if (answer.ok) this.announce(r.id);
    return answer;
  }

  /** The host's answer, to the visitor's connection (on whichever process it is, if it is still there). */
  private tell(id: string, candidate: string, answer: { accepted: true; token: string } | { accepted: false }): void {
    const socket = this.askedFrom.get(candidate);
    this.askedFrom.delete(candidate);
    if (socket) this.io.to(socket).emit('candidate:answer', { id, candidate, ...answer });
  }
}

export function candidateCommands(access: RoomAccess): Pick<Commands, 'seat:request' | 'host:candidates' | 'host:accept' | 'host:decline'> {
  return {
    'seat:request': {
      schema: schemas.seatRequest,
      handle: async (socket, { id, name, color }) => {
        const asked = await access.run(id, 'seatRequest', { name, color: color ?? null, address: socket.handshake.address, socket: socket.id });
        if (!asked.ok) return asked;
        // kept here until answered, to be asked again should the exhibition move to another process
        const candidacy = { id, candidate: asked.candidate, name, color: color ?? null };
        socket.data.candidacies.push(candidacy);
        const answered = (event: string, msg: { candidate?: string }) => {
          if (event !== 'candidate:answer' || msg.candidate !== asked.candidate) return;
          socket.data.candidacies = socket.data.candidacies.filter((c) => c !== candidacy);
          socket.offAnyOutgoing(answered);
        };
        socket.onAnyOutgoing(answered);
        // a visitor who leaves before the answer is no longer waiting
        socket.once('disconnect', () => void access.run(id, 'seatWithdraw', { candidate: asked.candidate }));
        return asked;
      },
    },
    'host:candidates': {
      schema: schemas.hostCommand,
      handle: async (socket, { id, hostKey }) => {
        const already = socket.rooms.has(room.host(id));
        void socket.join(room.host(id));
        const listed = await access.run(id, 'candidates', { hostKey });
        if (!listed.ok && !already) void socket.leave(room.host(id));
        return listed;
      },
    },
    'host:accept': {
      schema: schemas.hostCandidate,
      handle: (_socket, { id, hostKey, candidate }) => access.run(id, 'accept', { hostKey, candidate }),
    },
    'host:decline': {
      schema: schemas.hostCandidate,
      handle: (_socket, { id, hostKey, candidate }) => access.run(id, 'decline', { hostKey, candidate }),
    },
  };
}
