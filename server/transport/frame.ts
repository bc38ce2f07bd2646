/**
 * WebSocket text frames (RFC 6455, section 5.2), built once for every socket a broadcast goes to:
 * a server's frames are not masked, so each connection is written the very same bytes.
 */

/** The frames of `payloads` (UTF-8 JSON each), one after another, final and unmasked. */
export function textFrames(payloads: Buffer[]): Buffer {
  let size = 0;
  for (const payload of payloads) size += headerSize(payload.length) + payload.length;
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const payload of payloads) {
    at = writeHeader(bytes, at, payload.length);
    at += payload.copy(bytes, at);
  }
  return bytes;
}

/** A length under 126 fits the second byte; up to 16 bits follow as two bytes, more as eight. */
const headerSize = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

function writeHeader(bytes: Buffer, at: number, length: number): number {
  bytes[at] = 0x81; // FIN, opcode 1: a whole text message
  if (length < 126) {
    bytes[at + 1] = length;
    return at + 2;
  }
  if (length < 65_536) {
    bytes[at + 1] = 126;
    bytes.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  bytes[at + 1] = 127;
  bytes.writeBigUInt64BE(BigInt(length), at + 2);
  return at + 10;
}

/**
 * Broadcasts held to go out together: consecutive ones to the same followers make one run, framed
 * in one piece and written to each follower at once, where each would take a system call of its own.
 */
export class FrameRuns {
  private runs: { to: string[]; payloads: Buffer[] }[] = [];

  get empty(): boolean {
    return this.runs.length === 0;
  }

  add(to: string[], payload: Buffer): void {
    const last = this.runs.at(-1);
    if (last && sameFollowers(last.to, to)) last.payloads.push(payload);
    else this.runs.push({ to, payloads: [payload] });
  }

  /** The runs held, in order, each framed in one piece; none is held after. */
  take(): { to: string[]; frames: Buffer }[] {
    const runs = this.runs;
    this.runs = [];
    return runs.map(({ to, payloads }) => ({ to, frames: textFrames(payloads) }));
  }
}

const sameFollowers = (a: string[], b: string[]) => a.length === b.length && a.every((topic, i) => topic === b[i]);
