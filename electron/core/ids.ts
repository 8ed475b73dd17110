import { randomBytes } from 'node:crypto';

// Crockford base32: ids sort by creation time and are safe in URLs, file names and deep links.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A 16-character, time-ordered, random-suffixed id (10 chars of milliseconds + 6 random). */
export function newId(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(6);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 32];
  return time + rand;
}
