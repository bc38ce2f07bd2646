import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A host key or seat token: 192 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Secrets are kept only as hashes. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(secret: string, hash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(hash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Exhibition ids: short, unguessable enough to share as a link, not a secret. */
export function newId(): string {
  return randomBytes(6).toString('base64url');
}
