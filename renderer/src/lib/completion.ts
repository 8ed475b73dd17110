/** Finds the `#tag` or `@person` fragment being typed at the caret, for completion. Pure. */

export interface Trigger {
  kind: 'tag' | 'person';
  /** Where the fragment (including # or @) starts. */
  start: number;
  end: number;
  query: string;
}

const TAG_TRIGGER = /(^|[\s(,;])#((?:[\p{L}\p{N}_][\p{L}\p{N}_\-/]*)?)$/u;
const PERSON_TRIGGER = /(^|[\s(,;])@((?:[\p{L}\p{N}_][\p{L}\p{N}_.\-]*)?)$/u;
const PERSON_BRACKET_TRIGGER = /(^|[\s(,;])@\[([^\]\n]{1,100})$/u;

export function findTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(Math.max(0, caret - 120), caret);
  const offset = caret - before.length;
  const after = text.slice(caret, caret + 1);
  // Only complete at the end of a word.
  if (after && /[\p{L}\p{N}_]/u.test(after)) return null;
  for (const [re, kind] of [
    [TAG_TRIGGER, 'tag'],
    [PERSON_BRACKET_TRIGGER, 'person'],
    [PERSON_TRIGGER, 'person'],
  ] as const) {
    const m = re.exec(before);
    if (m) {
      const start = offset + (m.index ?? 0) + (m[1]?.length ?? 0);
      return { kind, start, end: caret, query: m[2] ?? '' };
    }
  }
  return null;
}
