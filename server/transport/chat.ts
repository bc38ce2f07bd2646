/** The chat's socket commands: who writes (a seat, the host, a named spectator), then the chat itself. */
import { HOST_NAME, type ChatRole, type ChatSettings } from '../../shared/chat.js';
import { fail, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { ChatSend, HostChatDelete, HostChatMode, HostChatMute } from '../../shared/schemas.js';
import * as schemas from '../../shared/schemas.js';
import type { Chats } from '../chat/chats.js';
import type { Directory } from '../rooms/directory.js';
import { notHost } from '../rooms/room.js';
import type { Commands, IoServer } from './socketio.js';

const chatRoom = (id: string) => `c:${id}`;

/** Who writes: a seat's player, the host, or a spectator under a name that is not the host's, Judit's or a seated player's. */
async function author(rooms: Directory, { id, token, hostKey, name }: ChatSend): Promise<Result<{ name: string; role: ChatRole }>> {
  const found = await rooms.find(id);
  if (!found.ok) return found;
  const r = found.room;
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

/** A command of the host's on the chat: the host checked first, every reader told of the change. */
function hostOnChat<P extends { id: string; hostKey: string }, T extends object>(
  rooms: Directory,
  act: (payload: P) => Promise<Result<T>>,
  told: (payload: P, result: T) => void,
): (socket: unknown, payload: P) => Promise<Result<T>> {
  return async (_socket, payload) => {
    const found = await rooms.find(payload.id);
    if (!found.ok) return found;
    if (!found.room.isHost(payload.hostKey)) return notHost();
    const result = await act(payload);
    if (result.ok) told(payload, result);
    return result;
  };
}

export function chatCommands(io: IoServer, rooms: Directory, chats: Chats): Pick<Commands, 'chat:watch' | 'chat:send' | 'host:chatDelete' | 'host:chatMute' | 'host:chatMode'> {
  const settingsTold = ({ id }: { id: string }, { settings }: { settings: ChatSettings }) => io.to(chatRoom(id)).emit('chat:settings', { id, settings });
  return {
    'chat:watch': {
      schema: schemas.exhibitionRef,
      handle: async (socket, { id }) => {
        const found = await rooms.find(id);
        if (!found.ok) return found;
        const chat = await chats.of(id);
        void socket.join(chatRoom(id));
        return { ok: true, messages: chat.messages, settings: chat.settings };
      },
    },
    'chat:send': {
      schema: schemas.chatSend,
      handle: async (_socket, payload) => {
        const who = await author(rooms, payload);
        if (!who.ok) return who;
        const posted = await chats.post(payload.id, who.name, who.role, payload.text);
        if (posted.ok) io.to(chatRoom(payload.id)).emit('chat:message', { id: payload.id, message: posted.message });
        return posted;
      },
    },
    'host:chatDelete': {
      schema: schemas.hostChatDelete,
      handle: hostOnChat(
        rooms,
        ({ id, message }: HostChatDelete) => chats.remove(id, message),
        ({ id, message }) => io.to(chatRoom(id)).emit('chat:deleted', { id, message }),
      ),
    },
    'host:chatMute': {
      schema: schemas.hostChatMute,
      handle: hostOnChat(rooms, ({ id, name, muted }: HostChatMute) => chats.mute(id, name, muted), settingsTold),
    },
    'host:chatMode': {
      schema: schemas.hostChatMode,
      handle: hostOnChat(rooms, ({ id, mode }: HostChatMode) => chats.setMode(id, mode), settingsTold),
    },
  };
}
