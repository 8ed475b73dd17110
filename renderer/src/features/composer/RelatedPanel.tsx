import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/domain/search.ts';
import { Icon } from '../../components/Icon.tsx';
import { Segments } from '../../components/Segments.tsx';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { call } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { entryHref } from '../../lib/router.ts';
import { fallbackTitle } from '../../lib/text.ts';

/** Earlier entries related to the draft, so recall comes to the writer (search.related, debounced). */
export function RelatedPanel({ text }: { text: string }) {
  const settled = useDebouncedValue(text.trim(), 300);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    if (settled.length < 3) {
      setHits([]);
      setLoading(false);
      return;
    }
    setLoading(true);
    void call('search.related', { text: settled, limit: 5 }).then((r) => {
      if (mine !== seq.current) return;
      setLoading(false);
      setHits(r.ok ? r.value.hits : []);
    });
  }, [settled]);

  return (
    <section className="related" aria-labelledby="related-heading" aria-busy={loading} data-testid="related-panel">
      <h2 id="related-heading" className="rail-heading">
        <Icon name="sparkles" size={14} /> Related
      </h2>
      {hits.length > 0 ? (
        <ul className="related-list">
          {hits.map((hit) => (
            <li key={hit.entry.id}>
              <a className="related-item" href={entryHref(hit.entry)}>
                <span className="related-title">
                  <Segments segments={hit.titleSegments} fallback={fallbackTitle(hit.entry)} />
                </span>
                {hit.snippet.length > 0 && (
                  <span className="related-snippet">
                    <Segments segments={hit.snippet} />
                  </span>
                )}
                <span className="related-date">{formatDate(hit.entry.createdAt)}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="rail-hint">{settled.length >= 3 && !loading ? 'Nothing related yet. Keep writing.' : 'As you write, earlier notes, people and bookmarks on the same topic appear here.'}</p>
      )}
    </section>
  );
}
