/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), bounded: returns
 * `max + 1` as soon as the distance must exceed `max`. Compares code points.
 */
const SURROGATE_RE = /[\ud800-\udfff]/;

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  // Code units are code points unless a surrogate pair is present (rare in words).
  const s: ArrayLike<string> = SURROGATE_RE.test(a) ? Array.from(a) : a;
  const t: ArrayLike<string> = SURROGATE_RE.test(b) ? Array.from(b) : b;
  const n = s.length;
  const m = t.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  if (rows[0]!.length < m + 1) rows = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const si = s[i - 1];
    for (let j = 1; j <= m; j++) {
      const tj = t[j - 1];
      let v = prev[j - 1]! + (si === tj ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && si === t[j - 2] && s[i - 2] === tj) {
        const tr = prev2[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const done = prev2;
    prev2 = prev;
    prev = cur;
    cur = done;
  }
  return Math.min(prev[m]!, max + 1);
}

/** How many edits a word of this length may carry and still be called a typo. */
export function typoBudget(length: number): number {
  return length <= 2 ? 0 : length <= 7 ? 1 : 2;
}
