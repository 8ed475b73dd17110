import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { TextAreaField, TextField } from '../../components/Field.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { call } from '../../lib/api.ts';

const EMPTY = { title: '', body: '', askedBy: '' };

export function NewQuestionDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [f, setF] = useState(EMPTY);
  const [saving, setSaving] = useState(false);
  const run = useAction();
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((s) => ({ ...s, [k]: v }));
  const ready = f.title.trim() !== '' || f.body.trim() !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready || saving) return;
    setSaving(true);
    const r = await run(
      call('entries.create', {
        kind: 'question',
        source: 'typed',
        body: f.body,
        ...(f.title.trim() ? { title: f.title.trim() } : {}),
        question: { status: 'open', ...(f.askedBy.trim() ? { askedBy: f.askedBy.trim() } : {}) },
      }),
    );
    setSaving(false);
    if (r.ok) {
      setF(EMPTY);
      onClose();
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="Log a question" testId="new-question-dialog">
      <form className="form-stack" onSubmit={(e) => void submit(e)}>
        <TextField label="Question" value={f.title} onChange={(e) => set('title', e.target.value)} placeholder="What was asked, in one line" data-autofocus />
        <TextAreaField label="Details" rows={5} value={f.body} onChange={(e) => set('body', e.target.value)} placeholder="Paste the message; #tags and @people work here" />
        <TextField label="Asked by" value={f.askedBy} onChange={(e) => set('askedBy', e.target.value)} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!ready || saving}>
            {saving ? 'Saving…' : 'Log question'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
