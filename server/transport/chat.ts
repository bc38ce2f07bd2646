/**
 * The chat's socket commands. Every one is applied where the exhibition is served (forwarded there
 * like any other command), so its rules (rate, mute, mode, the host key) are kept in one place; what
 * changed reaches every reader, on any process, through the adapter.
 */
import { HOST_NAME, type ChatRole } from '../../shared/chat.js';
import { fail, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { ChatSend, HostChatDelete, HostChatMode, HostChatMute } from '../../shared/schemas.js';
import * as schemas from '../../shared/schemas.js';
import type { Chats } from '../chat/chats.js';
import { notHost, type Room } from '../rooms/room.js';
import type { RoomAccess } from './forward.js';
import type { Commands, IoServer } from './socketio.js';

const chatRoom = (id: string) => `c:${id}`;

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
    private readonly io: IoServer,
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
    if (posted.ok) this.io.to(chatRoom(r.id)).emit('chat:message', { id: r.id, message: posted.message });
    return posted;
  }

  async remove(r: Room, { hostKey, message }: Omit<HostChatDelete, 'id'>) {
    if (!r.isHost(hostKey)) return notHost();
    const removed = await this.chats.remove(r.id, message);
    if (removed.ok) this.io.to(chatRoom(r.id)).emit('chat:deleted', { id: r.id, message });
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
    if (changed.ok) this.io.to(chatRoom(id)).emit('chat:settings', { id, settings: changed.settings });
    return changed;
  }
}

export function chatCommands(access: RoomAccess): Pick<Commands, 'chat:watch' | 'chat:send' | 'host:chatDelete' | 'host:chatMute' | 'host:chatMode'> {
  return {
    'chat:watch': {
      schema: schemas.exhibitionRef,
      handle: async (socket, { id }) => {
        // joined before the history is asked for: a message between the two is not lost
        const already = socket.rooms.has(chatRoom(id));
        void socket.join(chatRoom(id));
        const chat = await access.run(id, 'chatRead', {});
        if (!chat.ok && !already) void socket.leave(chatRoom(id));
        return chat;
      },
    },
    'chat:send': {
      schema: schemas.chatSend,
      handle: (_socket, payload) => access.run(payload.id, 'chatSend', payload),
    },
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
