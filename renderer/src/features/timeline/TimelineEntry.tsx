import { memo } from 'react';
import type { Entry } from '../../../../shared/domain/entry.ts';
import { TokenText } from '../../components/TokenText.tsx';
import { formatTime } from '../../lib/format.ts';
import { entryHref, hrefFor } from '../../lib/router.ts';
import { hasDerivedTitle, previewText, tokenize } from '../../lib/text.ts';

/** Characters of a preview its three lines show even in a narrow window (~60 a line at 800 px). */
const SURELY_SHOWN = 150;

const KIND_LABEL: Record<string, string> = { bookmark: 'Bookmark', person: 'Person', question: 'Question' };

function kindLine(entry: Entry): string | null {
  switch (entry.kind) {
    case 'bookmark':
      return entry.bookmark.site || 'Bookmark';
    case 'person':
      return [entry.person.role, entry.person.organisation].filter(Boolean).join(' · ') || 'Person';
    case 'question':
      return `Question · ${entry.question.status}`;
    default:
      return null;
  }
}

/** One entry in the timeline. Kept small: it is rendered for every row in view. */
export const TimelineEntry = memo(function TimelineEntry({ entry }: { entry: Entry }) {
  // A title made from the text is not shown twice, unless the text opens with a heading.
  const headed = /^\s*#{1,6}\s/.test(entry.body);
  const title =
    entry.kind === 'person'
      ? entry.person.name || entry.title
      : entry.kind === 'bookmark'
        ? entry.title || entry.bookmark.url
        : hasDerivedTitle(entry) && !headed
          ? ''
          : entry.title;
  const source = entry.kind === 'bookmark' && !entry.body ? entry.bookmark.excerpt : headed ? entry.body.replace(/^\s*#{1,6}\s[^\n]*\n?/, '') : entry.body;
  // A raw address reads as its site and the start of its path: the row is one link to the entry.
  const preview = previewText(source, 280, { shortenUrls: true });
  // Tags already visible in the text are not repeated underneath: those in its first lines, which the
  // row's three-line clamp shows at any width (a tag further on may be cut off, so it is listed).
  const inline = new Set(tokenize(preview.slice(0, SURELY_SHOWN)).flatMap((t) => (t.type === 'tag' ? [t.tag] : [])));
  const extraTags = entry.tags.filter((t) => !inline.has(t));
  const kind = kindLine(entry);
  return (
    <article className={`tl-entry tl-${entry.kind}`} data-testid="timeline-entry" data-entry-id={entry.id}>
      <time className="tl-time" dateTime={new Date(entry.createdAt).toISOString()}>
        {formatTime(entry.createdAt)}
      </time>
      <div className="tl-main">
        <a className="tl-body" href={entryHref(entry)}>
          {kind && (
            <span className="tl-kind" data-kind={entry.kind}>
              <span className="visually-hidden">{KIND_LABEL[entry.kind]}: </span>
              {kind}
            </span>
          )}
          {title && <strong className="tl-title">{title}</strong>}
          {preview && (
            <span className="tl-text">
              <TokenText text={preview} tags={entry.tags} />
            </span>
          )}
        </a>
        {extraTags.length > 0 && (
          <span className="tl-tags">
            {extraTags.slice(0, 6).map((tag) => (
              <a key={tag} className="tag" href={hrefFor({ name: 'timeline', tag })}>
                #{tag}
              </a>
            ))}
          </span>
        )}
      </div>
    </article>
  );
});
