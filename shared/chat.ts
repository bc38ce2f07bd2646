/** The exhibition's chat: its messages and the host's settings, as both ends see them. */
import { z } from 'zod';
import { nameSchema } from './names.js';

/** A message is one line of visible text, as a name is, of 1 to 300 characters. */
export const CHAT_MAX = 300;
export const chatTextSchema = nameSchema(CHAT_MAX, 'A message');

/** Who may write: nobody (the chat is off), seated players and the host, or every spectator too. */
export const chatModeSchema = z.enum(['off', 'players', 'everyone']);
export type ChatMode = z.infer<typeof chatModeSchema>;

export type ChatRole = 'host' | 'player' | 'spectator';

export interface ChatMessage {
  /** Numbered from 1 in each exhibition's chat. */
  id: number;
  at: number;
  author: string;
  role: ChatRole;
  text: string;
}

export interface ChatSettings {
  mode: ChatMode;
  /** Names that may not write (compared as names are: case and lookalikes ignored). */
  muted: string[];
}

export const DEFAULT_CHAT: ChatSettings = { mode: 'players', muted: [] };

/** The name the host writes under. */
export const HOST_NAME = 'Host';
