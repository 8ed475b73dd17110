import type { SnippetSegment } from '../../../shared/domain/search.ts';

// Snippets are cut from the Markdown source; emphasis markers would only be noise in a one-liner.
const clean = (text: string) => text.replace(/\*\*|__|`/g, '');

/** Renders search snippet segments as text, with matches in <mark>. Never HTML. */
export function Segments({ segments, fallback = '' }: { segments: SnippetSegment[]; fallback?: string }) {
  if (segments.length === 0) return <>{fallback}</>;
  return (
    <>
      {segments.map((s, i) => (s.match ? <mark key={i}>{clean(s.text)}</mark> : <span key={i}>{clean(s.text)}</span>))}
    </>
  );
}
