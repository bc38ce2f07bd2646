/** Stable error codes carried on the wire and by the core. */
export const errorCodes = [
  'BAD_REQUEST',
  'NOT_FOUND',
  'FORBIDDEN',
  'NOT_YOUR_SEAT',
  'NOT_YOUR_TURN',
  'ILLEGAL_MOVE',
  'STALE_PLY',
  'GAME_OVER',
  'EXHIBITION_FULL',
  'NAME_TAKEN',
  'WRONG_STATE',
  'RATE_LIMITED',
  'SERVER_BUSY',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** The answer to every command: the ack shape of the protocol and the return of core operations. */
export type Result<T> = ({ ok: true } & T) | Failure;

export interface Failure {
  ok: false;
  error: WireError;
}

export function fail(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}
