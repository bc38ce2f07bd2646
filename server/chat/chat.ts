import { DEFAULT_CHAT, HOST_NAME, type ChatMessage, type ChatMode, type ChatRole, type ChatSettings } from '../../shared/chat.js';
import { fail, type Result } from '../../shared/errors.js';
import { sameName } from '../../shared/names.js';
import type { TimeSource } from '../exhibition/exhibition.js';

/** Messages kept in memory and sent to whoever opens the chat. */
export const CHAT_HISTORY = 100;
/** At most this many messages from one author… */
export const CHAT_BURST = 5;
/** …within this window. */
export const CHAT_WINDOW_MS = 10_000;

/** What a store gives back of one chat. */
export interface StoredChat {
  settings: ChatSettings | null;
  /** Oldest first. */
  messages: ChatMessage[];
}

/**
 * One exhibition's chat: who may write, the rate each author may write at, the messages kept.
 * Pure: time comes from `time`, and the caller stores and announces what a command changed.
 */
export class Chat {
  readonly messages: ChatMessage[];
  settings: ChatSettings;
  private nextId: number;
  /** When each author's recent messages were sent, by author. */
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly time: TimeSource,
    stored: StoredChat = { settings: null, messages: [] },
  ) {
    this.settings = stored.settings ?? DEFAULT_CHAT;
    this.messages = stored.messages.slice(-CHAT_HISTORY);
    this.nextId = (stored.messages[stored.messages.length - 1]?.id ?? 0) + 1;
  }

  /** A message from `author`; `text` already follows the message rule (shared/chat.ts). */
  post(author: string, role: ChatRole, text: string): Result<{ message: ChatMessage }> {
    const mode = this.settings.mode;
    if (mode === 'off') return fail('FORBIDDEN', 'The host has turned the chat off.');
    if (role === 'spectator' && mode !== 'everyone') return fail('FORBIDDEN', 'Only the players and the host write in this chat.');
    if (role !== 'host' && this.isMuted(author)) return fail('FORBIDDEN', 'The host has muted you in this chat.');
    const now = this.time.now();
    const key = `${role}:${author.toLowerCase()}`;
    const recent = (this.sent.get(key) ?? []).filter((at) => at > now - CHAT_WINDOW_MS);
    if (recent.length >= CHAT_BURST) return fail('RATE_LIMITED', `At most ${CHAT_BURST} messages in ${CHAT_WINDOW_MS / 1000} s; wait a moment.`);
    this.sent.set(key, [...recent, now]);
    const message: ChatMessage = { id: this.nextId++, at: now, author, role, text };
    this.messages.push(message);
    if (this.messages.length > CHAT_HISTORY) this.messages.shift();
    return { ok: true, message };
  }

  /** The host takes a message down. */
  remove(id: number): Result<{}> {
    const i = this.messages.findIndex((m) => m.id === id);
    if (i === -1) return fail('NOT_FOUND', `There is no message ${id}.`);
    this.messages.splice(i, 1);
    return { ok: true };
  }

  /** The host mutes (or lets speak again) a name; the host's own cannot be muted. */
  mute(name: string, muted: boolean): Result<{ settings: ChatSettings }> {
    if (sameName(name, HOST_NAME)) return fail('BAD_REQUEST', 'The host cannot be muted.');
    const others = this.settings.muted.filter((n) => !sameName(n, name));
    this.settings = { ...this.settings, muted: muted ? [...others, name] : others };
    return { ok: true, settings: this.settings };
  }

  setMode(mode: ChatMode): Result<{ settings: ChatSettings }> {
    this.settings = { ...this.settings, mode };
    return { ok: true, settings: this.settings };
  }

  isMuted(name: string): boolean {
    return this.settings.muted.some((n) => sameName(n, name));
  }
}
