import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { TextAreaField, TextField, splitList } from '../../components/Field.tsx';
import { TagInput } from '../../components/TagInput.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useToast } from '../../hooks/useToast.ts';
import { conflictSubject } from '../../../../shared/api/errors.ts';
import { call } from '../../lib/api.ts';
import { navigate } from '../../lib/router.ts';

const EMPTY = { name: '', role: '', organisation: '', topics: [] as string[], contacts: '', recommendedBy: '', notes: '' };

/** The person already in the journal under the name typed (the core refused a second one). */
interface Namesake {
  id: string;
  /** What the core said, up to where it tells what to do (the dialog offers that). */
  message: string;
}

export function NewPersonDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [f, setF] = useState(EMPTY);
  const [saving, setSaving] = useState(false);
  const [namesake, setNamesake] = useState<Namesake | null>(null);
  const toast = useToast();
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => {
    setF((s) => ({ ...s, [k]: v }));
    if (k === 'name') setNamesake(null); // another name: ask the core again
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!f.name.trim() || saving) return;
    setSaving(true);
    const r = await call('entries.create', {
      kind: 'person',
      body: f.notes,
      source: 'typed',
      person: {
        name: f.name.trim(),
        role: f.role.trim(),
        organisation: f.organisation.trim(),
        topics: f.topics,
        contacts: splitList(f.contacts),
        ...(f.recommendedBy.trim() ? { recommendedBy: f.recommendedBy.trim() } : {}),
      },
      // Asked once and answered with "Add anyway": someone else of the same name.
      ...(namesake ? { allowSameName: true } : {}),
    });
    setSaving(false);
    if (r.ok) {
      setF(EMPTY);
      setNamesake(null);
      onClose();
      navigate({ name: 'person', id: r.value.id });
    } else if (r.error.code === 'CONFLICT' && r.error.entryId) {
      setNamesake({ id: r.error.entryId, message: `${conflictSubject(r.error)}.` });
    } else {
      toast.error(r.error.message);
    }
  };

  const openNamesake = () => {
    if (!namesake) return;
    setF(EMPTY);
    setNamesake(null);
    onClose();
    navigate({ name: 'person', id: namesake.id });
  };

  return (
    <Dialog open={open} onClose={onClose} title="Add a person" testId="new-person-dialog">
      <form className="form-stack" onSubmit={(e) => void submit(e)} id="new-person-form">
        <TextField label="Name" value={f.name} onChange={(e) => set('name', e.target.value)} required data-autofocus />
        {/* Beside the name it is about. */}
        {namesake && (
          <div className="banner dialog-banner" role="alert" data-testid="namesake">
            <Icon name="person" />
            <span>
              {namesake.message} Add them anyway only if this is someone else of the same name.
            </span>
            <button type="button" className="button" onClick={openNamesake}>
              Open their page
            </button>
          </div>
        )}
        <div className="field-row">
          <TextField label="Role" value={f.role} onChange={(e) => set('role', e.target.value)} />
          <TextField label="Organisation" value={f.organisation} onChange={(e) => set('organisation', e.target.value)} />
        </div>
        <TagInput label="Knows about" values={f.topics} onChange={(v) => set('topics', v)} placeholder="Add a topic and press Enter" />
        <TextAreaField label="How to reach them" hint="One per line" rows={2} value={f.contacts} onChange={(e) => set('contacts', e.target.value)} />
        <TextField label="Recommended by" value={f.recommendedBy} onChange={(e) => set('recommendedBy', e.target.value)} />
        <TextAreaField label="Notes" rows={3} value={f.notes} onChange={(e) => set('notes', e.target.value)} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={!f.name.trim() || saving}>
            {saving ? 'Adding…' : namesake ? 'Add anyway' : 'Add person'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
