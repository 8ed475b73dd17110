import { forwardRef, useMemo, useRef, useState } from 'react';
import { parseText } from '../../../../shared/domain/text.ts';
import { CompletionTextarea } from '../../components/CompletionTextarea.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { call } from '../../lib/api.ts';

interface ComposerProps {
  draft: string;
  onDraftChange: (value: string) => void;
}

/**
 * The note box on top of the timeline. Enter saves, Shift+Enter starts a new line; #tags and
 * @mentions complete as you type and are shown as they will be recognised.
 */
export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer({ draft, onDraftChange }, ref) {
  const run = useAction();
  const [saving, setSaving] = useState(false);
  const parsed = useMemo(() => parseText(draft), [draft]);
  const empty = draft.trim() === '';

  const latest = useRef(draft);
  latest.current = draft;
  const pending = useRef<string | null>(null);

  const save = async () => {
    const sent = draft;
    const text = sent.trim();
    if (!text || pending.current === text) return;
    pending.current = text;
    setSaving(true);
    const result = await run(call('entries.create', { kind: 'note', body: text, source: 'typed' }));
    pending.current = null;
    setSaving(false);
    if (!result.ok) return;
    // Typing may have gone on while saving: what was saved goes, what was typed after it stays. A
    // draft changed in another way is left whole (no typing is lost).
    const now = latest.current;
    if (now.trim() === text) onDraftChange('');
    else if (now.startsWith(sent)) onDraftChange(now.slice(sent.length).replace(/^\s+/, ''));
  };

  return (
    <form
      className="composer"
      aria-label="New note"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor="composer-input" className="visually-hidden">
        New note
      </label>
      <CompletionTextarea
        id="composer-input"
        ref={ref}
        className="composer-input"
        placeholder="What are you working on? Use #tags and @people"
        value={draft}
        onValueChange={onDraftChange}
        submitOnEnter
        onSubmit={() => void save()}
        rows={2}
        maxLength={500_000}
        data-testid="composer-input"
      />
      <div className="composer-footer">
        <div className="composer-detected" aria-live="polite">
          {parsed.tags.slice(0, 5).map((t) => (
            <span key={`t-${t}`} className="chip chip-tag">
              #{t}
            </span>
          ))}
          {parsed.mentions.slice(0, 5).map((m) => (
            <span key={`m-${m}`} className="chip chip-person">
              <Icon name="person" size={12} />
              {m}
            </span>
          ))}
          {parsed.tags.length === 0 && parsed.mentions.length === 0 && (
            <span className="composer-hint">
              <kbd>Enter</kbd> to save · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
            </span>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={empty}>
          {saving ? 'Saving…' : 'Save note'}
        </button>
      </div>
    </form>
  );
});
