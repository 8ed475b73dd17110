import { useCallback, useEffect, useRef } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useStoredState } from '../../hooks/useStoredState.ts';
import { modKey } from '../../lib/format.ts';
import { hrefFor } from '../../lib/router.ts';
import { Composer } from '../composer/Composer.tsx';
import { RelatedPanel } from '../composer/RelatedPanel.tsx';
import { TimelineList } from './TimelineList.tsx';

/** The home view: write on top, everything logged below, related notes beside the draft. */
export function TimelineView({ tag, focusComposer }: { tag?: string; focusComposer: number }) {
  const [draft, setDraft] = useStoredState('outloud.draft.composer');
  const composer = useRef<HTMLTextAreaElement>(null);
  const focus = useCallback(() => composer.current?.focus(), []);

  useEffect(() => {
    if (focusComposer > 0) focus();
  }, [focusComposer, focus]);

  return (
    <div className="page page-timeline">
      <PageHeader
        title={tag ? `#${tag}` : 'Timeline'}
        subtitle={tag ? 'Entries with this tag' : undefined}
        actions={
          tag ? (
            <a className="button button-ghost" href={hrefFor({ name: 'timeline' })}>
              <Icon name="close" size={14} /> Clear filter
            </a>
          ) : (
            <span className="header-hint">
              <kbd>N</kbd> new note · <kbd>?</kbd> shortcuts
            </span>
          )
        }
      />
      <div className="timeline-layout">
        <div className="timeline-column">
          <Composer ref={composer} draft={draft} onDraftChange={setDraft} />
          <TimelineList tag={tag} onCompose={focus} />
        </div>
        <aside className="timeline-rail" aria-label="Related to your draft">
          <RelatedPanel text={draft} />
          <ShortcutsCard />
        </aside>
      </div>
    </div>
  );
}

function ShortcutsCard() {
  return (
    <section className="rail-card" aria-labelledby="shortcuts-heading">
      <h2 id="shortcuts-heading" className="rail-heading">
        <Icon name="keyboard" size={14} /> Keyboard
      </h2>
      <dl className="shortcut-list">
        <dt>
          <kbd>{modKey}</kbd> <kbd>K</kbd>
        </dt>
        <dd>Search everything</dd>
        <dt>
          <kbd>N</kbd>
        </dt>
        <dd>New note</dd>
        <dt>
          <kbd>J</kbd> <kbd>K</kbd>
        </dt>
        <dd>Move through the timeline</dd>
        <dt>
          <kbd>G</kbd> then <kbd>P</kbd>
        </dt>
        <dd>Go to people (B bookmarks, Q questions)</dd>
        <dt>
          <kbd>?</kbd>
        </dt>
        <dd>All shortcuts</dd>
      </dl>
    </section>
  );
}
