/** The chat's socket commands: who writes (a seat, the host, a named spectator), then the chat itself. */
import { HOST_NAME, type ChatRole } from '../../shared/chat.js';
import { fail, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { ChatSend } from '../../shared/schemas.js';
import * as schemas from '../../shared/schemas.js';
import type { Chats } from '../chat/chats.js';
import type { Registry } from '../registry.js';
import type { Commands, IoServer } from './socketio.js';

const chatRoom = (id: string) => `c:${id}`;

/** Names a spectator may not write under: the host's, Judit's, a seated player's. */
function author(registry: Registry, { id, token, hostKey, name }: ChatSend): Result<{ name: string; role: ChatRole }> {
  if (token !== undefined) {
    const seat = registry.asSeat(id, token);
    return seat.ok ? { ok: true, name: seat.board.opponent, role: 'player' } : seat;
  }
  if (hostKey !== undefined) {
    const host = registry.asHost(id, hostKey);
    return host.ok ? { ok: true, name: HOST_NAME, role: 'host' } : host;
  }
  const found = registry.find(id);
  if (!found.ok) return found;
  const spectator = name!;
  const taken = [HOST_NAME, 'Judit', ...found.hosted.exh.boards.map((b) => b.opponent)];
  if (taken.some((n) => sameName(n, spectator))) return fail('NAME_TAKEN', `${spectator} is someone else’s name here.`);
  return { ok: true, name: spectator, role: 'spectator' };
}

export function chatCommands(io: IoServer, registry: Registry, chats: Chats): Pick<Commands, 'chat:watch' | 'chat:send' | 'host:chatDelete' | 'host:chatMute' | 'host:chatMode'> {
  return {
    'chat:watch': {
      schema: schemas.exhibitionRef,
      handle: async (socket, { id }) => {
        const found = registry.find(id);
        if (!found.ok) return found;
        const chat = await chats.of(id);
        void socket.join(chatRoom(id));
        return { ok: true, messages: chat.messages, settings: chat.settings };
      },
    },
    'chat:send': {
      schema: schemas.chatSend,
      handle: async (_socket, payload) => {
        const who = author(registry, payload);
        if (!who.ok) return who;
        const posted = await chats.post(payload.id, who.name, who.role, payload.text);
        if (posted.ok) io.to(chatRoom(payload.id)).emit('chat:message', { id: payload.id, message: posted.message });
        return posted;
      },
    },
    'host:chatDelete': {
      schema: schemas.hostChatDelete,
      handle: async (_socket, { id, hostKey, message }) => {
        const host = registry.asHost(id, hostKey);
        if (!host.ok) return host;
        const removed = await chats.remove(id, message);
        if (removed.ok) io.to(chatRoom(id)).emit('chat:deleted', { id, message });
        return removed;
      },
    },
    'host:chatMute': {
      schema: schemas.hostChatMute,
      handle: async (_socket, { id, hostKey, name, muted }) => {
        const host = registry.asHost(id, hostKey);
        if (!host.ok) return host;
        const changed = await chats.mute(id, name, muted);
        if (changed.ok) io.to(chatRoom(id)).emit('chat:settings', { id, settings: changed.settings });
        return changed;
      },
    },
    'host:chatMode': {
      schema: schemas.hostChatMode,
      handle: async (_socket, { id, hostKey, mode }) => {
        const host = registry.asHost(id, hostKey);
        if (!host.ok) return host;
        const changed = await chats.setMode(id, mode);
        if (changed.ok) io.to(chatRoom(id)).emit('chat:settings', { id, settings: changed.settings });
        return changed;
      },
    },
  };
}
