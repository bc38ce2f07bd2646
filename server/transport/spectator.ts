/**
 * What a spectator may ask, on either transport: the watch page's commands, defined once. Players
 * and hosts use them too (over socket.io); a spectator's feed carries nothing else.
 */
import type { Result } from '../../shared/errors.js';
import type { FeedCommand } from '../../shared/feed.js';
import * as schemas from '../../shared/schemas.js';
import type { Command } from './command.js';
import type { RoomAccess } from './forward.js';
import { room } from './topics.js';

/** A connection as these commands see it, whichever transport carries it. */
export interface Member {
  has(topic: string): boolean;
  /** Settles once the topic's broadcasts reach it, wherever they are made. */
  join(topic: string): Promise<void> | void;
  leave(topic: string): void;
  /** The exhibitions it is counted among the spectators of (changed in place). */
  readonly watching: string[];
}

export type SpectatorCommands = { [C in FeedCommand]: Command<Member, C> };

/** Tells the owners that `member` came (1) or went (-1) as a spectator: of every exhibition it watches, or of `only`. */
export function countWatching(access: RoomAccess, member: Pick<Member, 'watching'>, delta: 1 | -1, only?: string): void {
  for (const id of member.watching) if (only === undefined || id === only) access.present(id, 'spectator', delta);
}

/**
 * Joins `topic`, and waits until its broadcasts reach this process, before the state is asked for,
 * and leaves it when refused: an exhibition served by another process answers later than its
 * broadcasts arrive, and a change between the two would be lost. The client sets aside what the
 * state already holds.
 */
export async function following<T extends object>(member: Member, topic: string, ask: () => Promise<Result<T>>): Promise<Result<T>> {
  const already = member.has(topic);
  await member.join(topic);
  const answer = await ask();
  if (!answer.ok && !already) member.leave(topic);
  return answer;
}

export function spectatorCommands(access: RoomAccess): SpectatorCommands {
  return {
    'exhibition:watch': {
      schema: schemas.exhibitionRef,
      handle: async (member, { id }) => {
        const watched = await following(member, room.exhibition(id), () => access.run(id, 'snapshot', {}));
        if (watched.ok && !member.watching.includes(id)) {
          member.watching.push(id);
          access.present(id, 'spectator', 1);
        }
        return watched;
      },
    },
    'exhibition:unwatch': {
      schema: schemas.exhibitionRef,
      handle: (member, { id }) => {
        const at = member.watching.indexOf(id);
        if (at >= 0) {
          member.watching.splice(at, 1);
          member.leave(room.exhibition(id));
          access.present(id, 'spectator', -1);
        }
        return { ok: true };
      },
    },
    'board:open': {
      schema: schemas.boardRef,
      handle: (member, { id, table }) => following(member, room.board(id, table), () => access.run(id, 'detail', { table })),
    },
    'board:close': {
      schema: schemas.boardRef,
      handle: (member, { id, table }) => {
        member.leave(room.board(id, table));
        return { ok: true };
      },
    },
    'timeline:watch': {
      schema: schemas.exhibitionRef,
      handle: (member, { id }) => following(member, room.timeline(id), () => access.run(id, 'timeline', {})),
    },
    'chat:watch': {
      schema: schemas.exhibitionRef,
      handle: (member, { id }) => following(member, room.chat(id), () => access.run(id, 'chatRead', {})),
    },
    'chat:send': {
      schema: schemas.chatSend,
      handle: (_member, payload) => access.run(payload.id, 'chatSend', payload),
    },
  };
}
