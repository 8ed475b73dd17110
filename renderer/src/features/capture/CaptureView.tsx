import { useCallback, useEffect, useRef, useState } from 'react';
import { CompletionTextarea } from '../../components/CompletionTextarea.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useStoredState } from '../../hooks/useStoredState.ts';
import { call, shell } from '../../lib/api.ts';
import { hrefFor } from '../../lib/router.ts';
import { useClipboardUrl } from './useClipboardUrl.ts';

const DISMISSED_KEY = 'outloud.capture.dismissedUrl';

function readDismissed(): string | null {
  try {
    return localStorage.getItem(DISMISSED_KEY);
  } catch {
    return null;
  }
}

/**
 * The quick-capture window: one text box. Enter saves (and hides the window), Shift+Enter is a new
 * line, Esc hides it and keeps the draft. A URL on the clipboard is offered as a bookmark.
 */
export function CaptureView() {
  const [draft, setDraft] = useStoredState('outloud.draft.capture');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<{ id: string; kind: string } | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(readDismissed);
  const clipboard = useClipboardUrl();
  const input = useRef<HTMLTextAreaElement>(null);
  const run = useAction();
  const sh = shell();

  const onShown = useCallback(() => {
    input.current?.focus();
    void clipboard.check();
  }, [clipboard.check]);

  useEffect(() => {
    document.documentElement.classList.add('capture-mode');
    onShown();
    const offShown = sh?.onCaptureShown(onShown);
    window.addEventListener('focus', onShown);
    return () => {
      document.documentElement.classList.remove('capture-mode');
      offShown?.();
      window.removeEventListener('focus', onShown);
    };
  }, [sh, onShown]);

  const hide = () => sh?.hideCapture();

  const latest = useRef(draft);
  latest.current = draft;

  const finish = (entry: { id: string; kind: string }, saved: string) => {
    if (latest.current.trim() === saved) setDraft('');
    setSaved(entry);
    window.setTimeout(() => setSaved(null), 2500);
    hide();
  };

  const saveNote = async () => {
    const text = draft.trim();
    if (!text || saving) return;
    setSaving(true);
    const r = await run(call('entries.create', { kind: 'note', body: text, source: 'capture' }));
    setSaving(false);
    if (r.ok) finish(r.value, text);
  };

  const dismiss = (url: string) => {
    setDismissed(url);
    try {
      localStorage.setItem(DISMISSED_KEY, url);
    } catch {
      // Not remembered across sessions; fine.
    }
  };

  const saveBookmark = async (url: string) => {
    if (saving) return;
    setSaving(true);
    const text = draft.trim();
    const r = await run(call('entries.create', { kind: 'bookmark', bookmark: { url }, body: text, source: 'capture' }));
    setSaving(false);
    if (r.ok) {
      dismiss(url);
      finish(r.value, text);
    }
  };

  const offer = clipboard.url && clipboard.url !== dismissed ? clipboard.url : null;

  return (
    <main className="capture" aria-label="Quick capture" data-testid="capture-view">
      <form
        className="capture-card"
        onSubmit={(e) => {
          e.preventDefault();
          void saveNote();
        }}
      >
        <div className="capture-head">
          <Icon name="zap" size={14} />
          <span>Quick capture</span>
          {saved && (
            <span className="capture-saved" role="status">
              <Icon name="check" size={13} /> Saved
              {!sh && (
                <>
                  {' · '}
                  <a href={hrefFor(saved.kind === 'person' ? { name: 'person', id: saved.id } : { name: 'entry', id: saved.id })}>open</a>
                </>
              )}
            </span>
          )}
        </div>
        <label htmlFor="capture-input" className="visually-hidden">
          Note
        </label>
        <CompletionTextarea
          id="capture-input"
          ref={input}
          className="capture-input"
          placeholder="What’s happening? #tag @person"
          value={draft}
          onValueChange={setDraft}
          submitOnEnter
          onSubmit={() => void saveNote()}
          onEscape={hide}
          autoFocus
          rows={3}
          data-testid="capture-input"
        />
        {offer && (
          <div className="capture-offer" role="group" aria-label="Link on the clipboard" data-testid="clipboard-offer">
            <Icon name="link" size={14} />
            <span className="capture-offer-text">
              Save <span className="capture-offer-url">{offer}</span> as a bookmark{draft.trim() ? ' with this note' : ''}?
            </span>
            <button type="button" className="button button-small button-primary" onClick={() => void saveBookmark(offer)} disabled={saving}>
              Save bookmark
            </button>
            <button type="button" className="icon-button" aria-label="Dismiss the link" onClick={() => dismiss(offer)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        )}
        <div className="capture-footer">
          <span className="capture-keys">
            <kbd>Enter</kbd> save · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line · <kbd>Esc</kbd> {sh ? 'hide' : 'keep draft'}
          </span>
          {!offer && clipboard.canAsk && (
            <button type="button" className="link-button small" onClick={() => void clipboard.check(true)}>
              Use link from clipboard
            </button>
          )}
          <button type="submit" className="button button-primary button-small" disabled={!draft.trim() || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </main>
  );
}
