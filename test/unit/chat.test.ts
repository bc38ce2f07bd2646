import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/clock/virtual.js';
import { Chat, CHAT_BURST, CHAT_HISTORY, CHAT_WINDOW_MS } from '../../server/chat/chat.js';

describe('the chat on the virtual clock', () => {
  it('a writer’s burst is spent, then comes back as the window moves on', async () => {
    const clock = new VirtualClock();
    const chat = new Chat(clock);
    for (let i = 0; i < CHAT_BURST; i++) {
      expect(chat.post('Ann', 'player', `m${i}`).ok).toBe(true);
      await clock.advance(1_000);
    }
    expect(chat.post('Ann', 'player', 'one too many')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(chat.post('Bob', 'player', 'Bob has his own')).toMatchObject({ ok: true });
    // the first message leaves the window CHAT_WINDOW_MS after it was sent
    await clock.advance(CHAT_WINDOW_MS - CHAT_BURST * 1_000);
    expect(chat.post('Ann', 'player', 'back')).toMatchObject({ ok: true, message: { at: CHAT_WINDOW_MS, id: CHAT_BURST + 2 } });
  });

  it('keeps the last messages, numbered on from what was stored', () => {
    const stored = Array.from({ length: CHAT_HISTORY + 5 }, (_, i) => ({ id: i + 1, at: i, author: 'A', role: 'player' as const, text: `${i}` }));
    const chat = new Chat(new VirtualClock(), { settings: null, messages: stored });
    expect(chat.messages).toHaveLength(CHAT_HISTORY);
    expect(chat.messages[0].id).toBe(6);
    expect(chat.post('Host', 'host', 'next')).toMatchObject({ ok: true, message: { id: CHAT_HISTORY + 6 } });
    expect(chat.messages).toHaveLength(CHAT_HISTORY);
  });

  it('mutes by name as names compare: case and lookalikes', () => {
    const chat = new Chat(new VirtualClock());
    expect(chat.mute('Ｂｏｂ', true).ok).toBe(true);
    expect(chat.post('bob', 'player', 'hi')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(chat.mute('BOB', false)).toMatchObject({ ok: true, settings: { muted: [] } });
    expect(chat.post('bob', 'player', 'hi').ok).toBe(true);
  });
});
