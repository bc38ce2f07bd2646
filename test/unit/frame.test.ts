import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { FrameRuns, textFrames } from '../../server/transport/frame.js';

/** `ws`'s own parser of the frames a client receives (exported by `ws`, untyped). */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

/** What a WebSocket client reads from `bytes`, fed in two pieces cut at `cut`. */
async function received(bytes: Buffer, cut: number): Promise<{ text: string; binary: boolean }[]> {
  const receiver = new Receiver({ isServer: false });
  const messages: { text: string; binary: boolean }[] = [];
  receiver.on('message', (data: Buffer, binary: boolean) => messages.push({ text: data.toString(), binary }));
  const failed = new Promise<never>((_, reject) => receiver.on('error', reject));
  const written = new Promise<void>((resolve) => {
    receiver.write(bytes.subarray(0, cut));
    receiver.write(bytes.subarray(cut), () => resolve());
  });
  await Promise.race([written, failed]);
  return messages;
}

describe('text frames built once for every spectator', () => {
  // each size of the length field: in the second byte, in two more bytes, in eight more
  const lengths = [0, 1, 125, 126, 65_535, 65_536, 70_000];
  const payloads = lengths.map((length, i) => Buffer.from(String(i).padEnd(length, 'x').slice(0, length)));

  it('are read by a WebSocket client as the same messages, as text, in order, however the bytes arrive', async () => {
    const bytes = textFrames(payloads);
    for (const cut of [1, 3, 200, bytes.length - 1]) {
      const messages = await received(bytes, cut);
      expect(messages.map((m) => m.text)).toEqual(payloads.map((p) => p.toString()));
      expect(messages.every((m) => !m.binary)).toBe(true);
    }
  });

  it('are one frame alone when there is one message', async () => {
    const [payload] = payloads.slice(3, 4);
    const bytes = textFrames([payload]);
    expect(bytes.length).toBe(4 + 126);
    expect(await received(bytes, 2)).toEqual([{ text: payload.toString(), binary: false }]);
  });

  it('hold a command’s broadcasts as runs to the same followers, in the order they were made', async () => {
    const held = new FrameRuns();
    expect(held.empty).toBe(true);
    const made: [string[], string][] = [
      [['x:1'], 'board'],
      [['x:1'], 'judit'],
      [['b:1:3', 't:1'], 'move'],
      [['x:1'], 'stats'],
    ];
    for (const [to, text] of made) held.add(to, Buffer.from(text));
    const runs = held.take();
    expect(held.empty).toBe(true);
    expect(runs.map((r) => r.to)).toEqual([['x:1'], ['b:1:3', 't:1'], ['x:1']]);
    const read = await Promise.all(runs.map((r) => received(r.frames, 1)));
    expect(read.map((messages) => messages.map((m) => m.text))).toEqual([['board', 'judit'], ['move'], ['stats']]);
  });
});
