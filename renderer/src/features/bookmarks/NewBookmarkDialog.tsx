import { useState, type FormEvent } from 'react';
import { normalizeTag } from '../../../../shared/domain/text.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { TextAreaField, TextField } from '../../components/Field.tsx';
import { TagInput } from '../../components/TagInput.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { call } from '../../lib/api.ts';
import { navigate } from '../../lib/router.ts';

const EMPTY = { url: '', title: '', excerpt: '', note: '', tags: [] as string[] };

export function NewBookmarkDialog({ open, onClose, initialUrl = '' }: { open: boolean; onClose: () => void; initialUrl?: string }) {
  const [f, setF] = useState({ ...EMPTY, url: initialUrl });
  const [saving, setSaving] = useState(false);
  const run = useAction();
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((s) => ({ ...s, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!f.url.trim() || saving) return;
    setSaving(true);
    const r = await run(
      call('entries.create', {
        kind: 'bookmark',
        source: 'typed',
        body: f.note,
        tags: f.tags,
        ...(f.title.trim() ? { title: f.title.trim() } : {}),
        bookmark: { url: f.url.trim(), ...(f.excerpt.trim() ? { excerpt: f.excerpt.trim() } : {}) },
      }),
    );
    setSaving(false);
    if (r.ok) {
      setF(EMPTY);
      onClose();
      navigate({ name: 'entry', id: r.value.id });
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="Add a bookmark" testId="new-bookmark-dialog">
      <form className="form-stack" onSubmit={(e) => void submit(e)}>
        <TextField label="URL" type="url" value={f.url} onChange={(e) => set('url', e.target.value)} required placeholder="https://" data-autofocus />
        <TextField label="Title" value={f.title} onChange={(e) => set('title', e.target.value)} placeholder="Optional" />
        <TextAreaField label="Excerpt" rows={2} value={f.excerpt} onChange={(e) => set('excerpt', e.target.value)} placeholder="A quote from the page (optional)" />
        <TextAreaField label="Why it matters" rows={3} value={f.note} onChange={(e) => set('note', e.target.value)} placeholder="Your note; #tags and @people work here too" />
        <TagInput label="Tags" values={f.tags} onChange={(v) => set('tags', v)} prefix="#" normalise={normalizeTag} placeholder="Add a tag and press Enter" />
        <p className="field-hint">Saving the same page twice keeps one bookmark with both notes.</p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!f.url.trim() || saving}>
            {saving ? 'Saving…' : 'Save bookmark'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
