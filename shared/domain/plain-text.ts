/**
 * Markdown as one line of plain text, for previews and search snippets: what a person reads, without
 * the markup they typed. Headings, list items and quotes lose their markers and are set apart with
 * " · " (they would otherwise run into each other: "third draft Went through…"); links and images
 * keep their text (and, if asked, their address); emphasis, strike-through and code markers go; `@[Full Name]` mentions read
 * `@Full Name`. Words are never dropped or reordered, so what a search matched is still there.
 */

const BLOCK_START = /^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+)/;
const ENDS_SENTENCE = /[.!?:;,·…]$/;
const FENCE = /^\s{0,3}(```|~~~)/;
/** Whitespace other than single spaces between words: two in a row, any but a space, or at either end. */
const LOOSE_SPACE = /\s\s|[^\S ]|^\s|\s$/;

export interface PlainTextOptions {
  /** Keep `@[Full Name]` as it is, for a front end that renders mentions itself (TokenText). */
  keepMentions?: boolean;
  /**
   * Keep a link's address after its text (`text (address)`): a search snippet must show every word
   * the search matched, and the index holds the address too.
   */
  keepLinkTargets?: boolean;
}

export function markdownToPlain(markdown: string, options: PlainTextOptions = {}): string {
  const out: string[] = [];
  // The previous line ended a block (a heading, list item, quote or paragraph) rather than wrapping.
  let blockEnded = false;
  let inFence = false;
  for (const raw of markdown.split('\n')) {
    if ((raw.includes('```') || raw.includes('~~~')) && FENCE.test(raw)) {
      inFence = !inFence;
      blockEnded = true;
      continue;
    }
    const startsBlock = !inFence && BLOCK_START.test(raw);
    const line = inline(startsBlock ? raw.replace(BLOCK_START, '') : raw, options).trim();
    if (!line) {
      blockEnded = true;
      continue;
    }
    if (out.length > 0) {
      const previous = out[out.length - 1]!;
      out.push((blockEnded || startsBlock) && !ENDS_SENTENCE.test(previous) ? ' · ' : ' ');
    }
    out.push(line);
    blockEnded = startsBlock && !inFence;
  }
  const text = out.join('');
  // Collapsing whitespace is most of the cost when there is nothing to collapse (one space each time).
  return LOOSE_SPACE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** A word, or the marker of a span right beside this one (`` `a``b` `` reads "a b", not "ab"). */
const JOINS = /[\p{L}\p{N}`*_~]/u;

/**
 * `inner` in place of the marked-up `match` found at `offset` in `text`, with a space on a side where
 * the marker stood between two words (`a**b**c` reads "a b c", not "abc").
 */
function unwrap(text: string, match: string, offset: number, inner: string): string {
  const before = offset > 0 && JOINS.test(text[offset - 1]!) && WORD_CHAR.test(inner[0] ?? '') ? ' ' : '';
  const end = offset + match.length;
  const after = end < text.length && JOINS.test(text[end]!) && WORD_CHAR.test(inner[inner.length - 1] ?? '') ? ' ' : '';
  return `${before}${inner}${after}`;
}

/**
 * Inline markup of one line removed. Each rule runs only when the line holds the characters it needs
 * (most lines hold none of them): previews and search snippets convert every row they show.
 */
function inline(text: string, { keepMentions = false, keepLinkTargets = false }: PlainTextOptions): string {
  let out = text;
  if (out.includes('](')) {
    out = out.replace(/!?\[([^\]\n]*)\]\(([^)\n]*)\)/g, (_m: string, label: string, target: string) =>
      keepLinkTargets && target.trim() ? `${label} (${target.trim()})`.trim() : label,
    );
  }
  if (!keepMentions && out.includes('@[')) {
    out = out.replace(/@\[([^\]\n]+)\]/g, (m: string, name: string, offset: number, all: string) => `@${unwrap(all, m, offset, name).trimStart()}`);
  }
  if (out.includes('**') || out.includes('__') || out.includes('~~')) {
    out = out.replace(/(\*\*|__|~~)(?=\S)([^\n]*?\S)\1/g, (m: string, _marker: string, inner: string, offset: number, all: string) => unwrap(all, m, offset, inner));
  }
  if (out.includes('*')) out = out.replace(/(^|[^\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])/g, '$1$2');
  if (out.includes('_')) out = out.replace(/(^|[^\w])_(?=[^\s_])([^_\n]*?[^\s_])_(?!\w)/g, '$1$2');
  if (out.includes('`')) out = out.replace(/(`+)([^`\n]+?)\1/g, (m: string, _ticks: string, inner: string, offset: number, all: string) => unwrap(all, m, offset, inner));
  return out;
}
