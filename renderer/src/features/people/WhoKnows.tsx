import { useEffect, useId, useRef, useState } from 'react';
import type { WhoKnowsResult } from '../../../../shared/domain/search.ts';
import { Avatar } from '../../components/Avatar.tsx';
import { Icon } from '../../components/Icon.tsx';
import { Spinner } from '../../components/States.tsx';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { call } from '../../lib/api.ts';
import { entryHref, hrefFor } from '../../lib/router.ts';

/** "Who knows about…?": people ranked by their profile topics and the entries that mention them. */
export function WhoKnows({ initialTopic = '' }: { initialTopic?: string }) {
  const [topic, setTopic] = useState(initialTopic);
  const settled = useDebouncedValue(topic.trim(), 250);
  const [results, setResults] = useState<WhoKnowsResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const id = useId();

  useEffect(() => {
    const mine = ++seq.current;
    if (!settled) {
      setResults(null);
      setError(null);
      return;
    }
    setLoading(true);
    void call('people.whoKnows', { topic: settled, limit: 8 }).then((r) => {
      if (mine !== seq.current) return;
      setLoading(false);
      if (r.ok) {
        setResults(r.value);
        setError(null);
      } else setError(r.error.message);
    });
  }, [settled]);

  return (
    <section className="who-knows rail-card" aria-labelledby={`${id}-heading`} data-testid="who-knows">
      <h2 id={`${id}-heading`} className="rail-heading">
        <Icon name="bulb" size={14} /> Who knows about…
      </h2>
      <form className="who-knows-form" role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${id}-input`} className="visually-hidden">
          Topic
        </label>
        <input
          id={`${id}-input`}
          className="input"
          placeholder="a topic, e.g. enterprise social"
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
          autoComplete="off"
          data-testid="who-knows-input"
        />
        {loading && <Spinner />}
      </form>
      {error && (
        <p className="small error-text" role="alert">
          {error}
        </p>
      )}
      {results && results.length === 0 && !loading && <p className="rail-hint">Nobody yet. Add the topic to someone’s profile, or mention them in a note about it.</p>}
      {results && results.length > 0 && (
        <ol className="who-knows-list" aria-label={`People who know about ${settled}`}>
          {results.map((r) => (
            <li key={r.person.id} className="who-knows-item" data-testid="who-knows-result">
              <Avatar name={r.person.title} size={28} />
              <div className="who-knows-main">
                <a className="who-knows-name" href={hrefFor({ name: 'person', id: r.person.id })}>
                  {r.person.title}
                </a>
                <p className="who-knows-why">
                  {r.profileTopics.length > 0 && <span>Profile: {r.profileTopics.join(', ')}</span>}
                  {r.profileTopics.length > 0 && r.evidence.length > 0 && ' · '}
                  {r.evidence.length > 0 && <span>{r.evidence.length === 1 ? 'mentioned in 1 entry' : `mentioned in ${r.evidence.length} entries`}</span>}
                </p>
                {r.evidence.length > 0 && (
                  <ul className="who-knows-evidence">
                    {r.evidence.slice(0, 3).map((e) => (
                      <li key={e.id}>
                        <a href={entryHref(e)}>{e.title || 'Untitled'}</a>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      {!results && !error && <p className="rail-hint">Type a topic to see who has it in their profile or comes up in your notes about it.</p>}
    </section>
  );
}
