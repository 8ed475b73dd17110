/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), bounded: returns
 * `max + 1` as soon as the distance must exceed `max`. Compares code points.
 *
 * Only the cells within `max` of the diagonal are computed (a cell further off holds at least its
 * distance from the diagonal, so more than `max`): for a one-typo budget, three cells a row instead
 * of the whole row.
 */
const SURROGATE_RE = /[\ud800-\udfff]/;

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** The code points of a string that holds a surrogate pair (rare in words), else its code units. */
function codes(text: string): ArrayLike<number> | string {
  return SURROGATE_RE.test(text) ? Array.from(text, (c) => c.codePointAt(0)!) : text;
}

export function editDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const s = codes(a);
  const t = codes(b);
  const at = (x: ArrayLike<number> | string, i: number) => (typeof x === 'string' ? x.charCodeAt(i) : x[i]!);
  const n = s.length;
  const m = t.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  // Stands for every cell off the band: more than `max`, and more than any distance of these words.
  const far = Math.min(max + 1, n + m + 1);
  if (rows[0]!.length < m + 2) rows = [new Int32Array(m + 2), new Int32Array(m + 2), new Int32Array(m + 2)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    cur[0] = i;
    if (lo > 1) cur[lo - 1] = far;
    let rowMin = lo === 1 ? i : far;
    const si = at(s, i - 1);
    const si1 = i > 1 ? at(s, i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const tj = at(t, j - 1);
      let v = prev[j - 1]! + (si === tj ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && si === at(t, j - 2) && si1 === tj) {
        const tr = prev2[j - 2]! + 1;
        if (tr < v) v = tr;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < m) cur[hi + 1] = far;
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
