import { useMemo } from 'react';
import { tokenize } from '../lib/text.ts';

/** Plain text with #tags and @mentions picked out (as text, never HTML); `@[Full Name]` reads as `@Full Name`. */
export function TokenText({ text }: { text: string }) {
  const tokens = useMemo(() => tokenize(text), [text]);
  return (
    <>
      {tokens.map((t, i) =>
        t.type === 'text' ? (
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
