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
  let rand = '';
  for (let i = 0; i < 6; i++) rand += ALPHABET[nextRandomByte() % 32];
  return time + rand;
}

// Random bytes come from a pool: one system call per 683 ids instead of one per id (bulk imports).
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolPos = 0;

function nextRandomByte(): number {
  if (poolPos >= pool.length) {
    // node:crypto is loaded with the first id rather than at start-up, which a search never needs (~4 ms).
    pool = process.getBuiltinModule('node:crypto').randomBytes(POOL_SIZE);
    poolPos = 0;
  }
  return pool[poolPos++]!;
}
