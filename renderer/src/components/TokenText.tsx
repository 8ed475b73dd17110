import { useMemo } from 'react';
import { tokenize } from '../lib/text.ts';

/**
 * Plain text with #tags and @mentions picked out (as text, never HTML); `@[Full Name]` reads as
 * `@Full Name`. Given the entry's `tags` (what the core stored), only those are picked out: a
 * `#word` the core did not take as a tag (in code, after `_`) stays plain text.
 */
export function TokenText({ text, tags }: { text: string; tags?: readonly string[] }) {
  const tokens = useMemo(() => tokenize(text), [text]);
  return (
    <>
      {tokens.map((t, i) =>
        t.type === 'text' || (t.type === 'tag' && tags && !tags.includes(t.tag)) ? (
          t.text
        ) : (
          <span key={i} className={t.type === 'tag' ? 'token-tag' : 'token-mention'}>
            {t.type === 'mention' ? `@${t.name}` : t.text}
          </span>
        ),
      )}
    </>
  );
}
