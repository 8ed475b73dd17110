import { useMemo } from 'react';
import { parseText } from '../../../shared/domain/text.ts';
import { hrefFor } from '../lib/router.ts';

/**
 * An entry's tags as a metadata row under its text, each a link to the timeline narrowed to it.
 * Tags the text already shows (as `#tag`, linked there) are not listed again: the row holds only
 * the ones given apart from the text, and is left out when there are none.
 */
export function TagList({ tags, text = '', label = 'Tags' }: { tags: string[]; text?: string; label?: string }) {
  const listed = useMemo(() => {
    const inText = new Set(parseText(text).tags);
    return tags.filter((tag) => !inText.has(tag));
  }, [tags, text]);
  if (listed.length === 0) return null;
  return (
    <div className="tag-row">
      {/* Named by aria-label, not by id: ids inside rendered entries are kept out (see the XSS audit). */}
      <span className="tag-row-label" aria-hidden="true">
        {label}
      </span>
      <ul className="tag-list" aria-label={label}>
        {listed.map((tag) => (
          <li key={tag}>
            <a className="tag" href={hrefFor({ name: 'timeline', tag })}>
              #{tag}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
