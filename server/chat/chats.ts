import type { ChatMessage, ChatMode, ChatRole, ChatSettings } from '../../shared/chat.js';
import type { Result } from '../../shared/errors.js';
import type { TimeSource } from '../exhibition/exhibition.js';
import type { ChatStore } from '../store/store.js';
import { Chat, CHAT_HISTORY } from './chat.js';

/**
 * Every exhibition's chat, read from the store when first opened. Each change is written before it
 * is answered, so whatever is announced is on disk.
 */
export class Chats {
  private readonly chats = new Map<string, Promise<Chat>>();

  constructor(private readonly deps: { store: ChatStore; time: TimeSource }) {}

  of(id: string): Promise<Chat> {
    let chat = this.chats.get(id);
    if (!chat) {
      chat = this.deps.store.loadChat(id, CHAT_HISTORY).then((stored) => new Chat(this.deps.time, stored));
      // a failed read is tried again next time, not remembered
      chat.catch(() => this.chats.delete(id));
      this.chats.set(id, chat);
    }
    return chat;
  }

  /** Read from the store again when next opened: another process may have written it meanwhile. */
  forget(id: string): void {
    this.chats.delete(id);
  }

  async post(id: string, author: string, role: ChatRole, text: string): Promise<Result<{ message: ChatMessage }>> {
    const posted = (await this.of(id)).post(author, role, text);
    if (posted.ok) await this.deps.store.appendChat(id, posted.message);
    return posted;
  }

  async remove(id: string, messageId: number): Promise<Result<{}>> {
    const removed = (await this.of(id)).remove(messageId);
    if (removed.ok) await this.deps.store.deleteChat(id, messageId);
    return removed;
  }

  async mute(id: string, name: string, muted: boolean): Promise<Result<{ settings: ChatSettings }>> {
    return this.saved(id, (await this.of(id)).mute(name, muted));
  }

  async setMode(id: string, mode: ChatMode): Promise<Result<{ settings: ChatSettings }>> {
    return this.saved(id, (await this.of(id)).setMode(mode));
  }

  private async saved(id: string, changed: Result<{ settings: ChatSettings }>): Promise<Result<{ settings: ChatSettings }>> {
    if (changed.ok) await this.deps.store.saveChatSettings(id, changed.settings);
    return changed;
  }
}
