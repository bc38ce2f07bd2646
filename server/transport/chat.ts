/**
 * The chat's socket commands. Every one is applied where the exhibition is served (forwarded there
 * like any other command), so its rules (rate, mute, mode, the host key) are kept in one place; what
 * changed reaches every reader, on any process, through the adapter and the feed's relay.
 */
import { HOST_NAME, type ChatRole } from '../../shared/chat.js';
import { fail, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { ChatSend, HostChatDelete, HostChatMode, HostChatMute } from '../../shared/schemas.js';
import * as schemas from '../../shared/schemas.js';
import type { Chats } from '../chat/chats.js';
import { notHost, type Room } from '../rooms/room.js';
import type { Audience } from './audience.js';
import type { RoomAccess } from './forward.js';
import type { Commands } from './socketio.js';
import { room } from './topics.js';

/** Who writes: a seat's player, the host, or a spectator under a name that is not the host's, Judit's or a seated player's. */
function author(r: Room, { token, hostKey, name }: ChatSend): Result<{ name: string; role: ChatRole }> {
  if (token !== undefined) {
    const seat = r.seatName(token);
    return seat.ok ? { ok: true, name: seat.name, role: 'player' } : seat;
  }
  if (hostKey !== undefined) return r.isHost(hostKey) ? { ok: true, name: HOST_NAME, role: 'host' } : notHost();
  const spectator = name!;
  const taken = [HOST_NAME, 'Judit', ...r.exh.boards.map((b) => b.opponent)];
  if (taken.some((n) => sameName(n, spectator))) return fail('NAME_TAKEN', `${spectator} is someone else’s name here.`);
  return { ok: true, name: spectator, role: 'spectator' };
}

/** The chats of the exhibitions served here: each command checked against the room, applied, announced. */
export class ChatDesk {
  constructor(
    /** Whoever opened the chat, on socket.io or on the spectators' feed. */
    private readonly readers: Audience,
    private readonly chats: Chats,
  ) {}

  async read(r: Room) {
    const chat = await this.chats.of(r.id);
    return { ok: true as const, messages: chat.messages, settings: chat.settings };
  }

  async send(r: Room, payload: ChatSend) {
    const who = author(r, payload);
    if (!who.ok) return who;
    const posted = await this.chats.post(r.id, who.name, who.role, payload.text);
    if (posted.ok) this.readers.emit(room.chat(r.id), 'chat:message', { id: r.id, message: posted.message });
    return posted;
  }

  async remove(r: Room, { hostKey, message }: Omit<HostChatDelete, 'id'>) {
    if (!r.isHost(hostKey)) return notHost();
    const removed = await this.chats.remove(r.id, message);
    if (removed.ok) this.readers.emit(room.chat(r.id), 'chat:deleted', { id: r.id, message });
    return removed;
  }

  async mute(r: Room, { hostKey, name, muted }: Omit<HostChatMute, 'id'>) {
    if (!r.isHost(hostKey)) return notHost();
    return this.told(r.id, await this.chats.mute(r.id, name, muted));
  }

  async setMode(r: Room, { hostKey, mode }: Omit<HostChatMode, 'id'>) {
    if (!r.isHost(hostKey)) return notHost();
    return this.told(r.id, await this.chats.setMode(r.id, mode));
  }

  /** Another process wrote this chat meanwhile: the next command reads it from the store again. */
  forget(id: string): void {
    this.chats.forget(id);
  }

  private told<T extends Awaited<ReturnType<Chats['setMode']>>>(id: string, changed: T): T {
    if (changed.ok) this.readers.emit(room.chat(id), 'chat:settings', { id, settings: changed.settings });
    return changed;
  }
}

/** The host's commands on the chat; reading and writing it are the spectators' commands (spectator.ts). */
export function chatCommands(access: RoomAccess): Pick<Commands, 'host:chatDelete' | 'host:chatMute' | 'host:chatMode'> {
  return {
    'host:chatDelete': {
      schema: schemas.hostChatDelete,
      handle: (_socket, { id, hostKey, message }) => access.run(id, 'chatDelete', { hostKey, message }),
    },
    'host:chatMute': {
      schema: schemas.hostChatMute,
      handle: (_socket, { id, hostKey, name, muted }) => access.run(id, 'chatMute', { hostKey, name, muted }),
    },
    'host:chatMode': {
      schema: schemas.hostChatMode,
      handle: (_socket, { id, hostKey, mode }) => access.run(id, 'chatMode', { hostKey, mode }),
    },
  };
}
