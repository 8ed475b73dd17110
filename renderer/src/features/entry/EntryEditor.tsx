import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { MethodInput } from '../../../../shared/api/contract.ts';
import { conflictSubject } from '../../../../shared/api/errors.ts';
import type { Entry, QuestionStatus } from '../../../../shared/domain/entry.ts';
import { normalizeTag } from '../../../../shared/domain/text.ts';
import { CompletionTextarea } from '../../components/CompletionTextarea.tsx';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { TextAreaField, TextField, splitList } from '../../components/Field.tsx';
import { TagInput } from '../../components/TagInput.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useToast } from '../../hooks/useToast.ts';
import { useUnsavedChanges } from '../../hooks/useUnsavedChanges.ts';
import { Icon } from '../../components/Icon.tsx';
import { call } from '../../lib/api.ts';
import { modKey } from '../../lib/format.ts';
import { navigate } from '../../lib/router.ts';
import { hasDerivedTitle } from '../../lib/text.ts';

type UpdateInput = MethodInput<'entries.update'>;

/** Another entry in the way of this edit: a person of the new name, a bookmark of the new address. */
interface Clash {
  id: string;
  /** What the core said, without the id and the advice (the banner gives its own). */
  message: string;
}

function initialFields(entry: Entry) {
  return {
    // A title the core made from the text is left empty here, so it keeps following the text.
    title: entry.kind !== 'bookmark' && hasDerivedTitle(entry) ? '' : entry.title,
    body: entry.body,
    tags: entry.tags,
    url: entry.kind === 'bookmark' ? entry.bookmark.url : '',
    excerpt: entry.kind === 'bookmark' ? entry.bookmark.excerpt : '',
    name: entry.kind === 'person' ? entry.person.name : '',
    aliases: entry.kind === 'person' ? entry.person.aliases.join(', ') : '',
    role: entry.kind === 'person' ? entry.person.role : '',
    organisation: entry.kind === 'person' ? entry.person.organisation : '',
    contacts: entry.kind === 'person' ? entry.person.contacts.join('\n') : '',
    topics: entry.kind === 'person' ? entry.person.topics : [],
    recommendedBy: entry.kind === 'person' ? entry.person.recommendedBy : '',
    status: (entry.kind === 'question' ? entry.question.status : 'open') as QuestionStatus,
    askedBy: entry.kind === 'question' ? entry.question.askedBy : '',
    answer: entry.kind === 'question' ? entry.question.answer : '',
  };
}

/** Edits any entry in place; the previous version goes to the history (the core keeps it). */
export function EntryEditor({ entry, onDone }: { entry: Entry; onDone: () => void }) {
  const [f, setF] = useState(() => initialFields(entry));
  // The fields as the current keystroke left them: Ctrl+Enter in the Tags field adds the tag typed
  // there, then reaches onKeyDown below to save, before React has rendered the new tag into `f`.
  const latest = useRef(f);
  const [saving, setSaving] = useState(false);
  // While "Discard your changes?" is asked: what to do if the user agrees (close the editor, or go
  // on to where they were leaving for).
  const [discardThen, setDiscardThen] = useState<(() => void) | null>(null);
  const [clash, setClash] = useState<Clash | null>(null);
  const run = useAction();
  const toast = useToast();
  const bodyId = useId();
  const set = <K extends keyof typeof f>(key: K, value: (typeof f)[K]) => {
    latest.current = { ...latest.current, [key]: value };
    setF(latest.current);
    if (key === 'name' || key === 'aliases' || key === 'url') setClash(null); // asked again on save
  };
  // Text typed into Tags or Knows about and not yet added as a chip: a change too, which leaving
  // would lose (it becomes a chip when the field loses focus, or with Enter).
  const [typing, setTyping] = useState({ tags: false, topics: false });
  const typingInto = (field: keyof typeof typing) => (text: string) =>
    setTyping((current) => (current[field] === (text.trim() !== '') ? current : { ...current, [field]: text.trim() !== '' }));
  const isDirty = (fields: typeof f) => JSON.stringify(fields) !== JSON.stringify(initialFields(entry));
  const dirty = isDirty(f) || typing.tags || typing.topics;
  const askToDiscard = (then: () => void) => setDiscardThen(() => then);
  useUnsavedChanges(dirty, askToDiscard);

  /** `sameName`: the user saw who else has the name and keeps it all the same. */
  const save = async (sameName = false) => {
    if (saving) return;
    const fields = latest.current;
    if (!isDirty(fields)) {
      onDone();
      return;
    }
    const input: UpdateInput = { id: entry.id, body: fields.body, tags: fields.tags, expectedUpdatedAt: entry.updatedAt };
    if (fields.title.trim() !== initialFields(entry).title.trim()) input.title = fields.title.trim();
    if (entry.kind === 'bookmark') input.bookmark = { url: fields.url.trim(), excerpt: fields.excerpt };
    if (entry.kind === 'person') {
      input.person = {
        name: fields.name.trim(),
        aliases: splitList(fields.aliases),
        role: fields.role.trim(),
        organisation: fields.organisation.trim(),
        contacts: splitList(fields.contacts),
        topics: fields.topics,
        recommendedBy: fields.recommendedBy.trim(),
      };
    }
    if (entry.kind === 'question') input.question = { status: fields.status, askedBy: fields.askedBy.trim(), answer: fields.answer };
    if (sameName) input.allowSameName = true;
    setSaving(true);
    const result = await call('entries.update', input);
    setSaving(false);
    if (result.ok) {
      onDone();
      return;
    }
    if (result.error.code === 'CONFLICT' && result.error.entryId) {
      setClash({ id: result.error.entryId, message: `${conflictSubject(result.error)}.` });
      return;
    }
    if (result.error.code === 'CONFLICT') {
      toast.error('This entry was changed elsewhere since you opened it. Your edit was not saved; copy it, then reload.');
      return;
    }
    await run(Promise.resolve(result));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      if (dirty) askToDiscard(onDone);
      else onDone();
    }
  };

  const clashBanner = clash && (
    <div className="banner dialog-banner" role="alert" data-testid="edit-clash">
      <Icon name={entry.kind === 'person' ? 'person' : 'bookmark'} />
      <span>
        {clash.message}
        {entry.kind === 'person' ? ' Keep the name only if this is someone else of the same name.' : ' Nothing was saved.'}
      </span>
      <button type="button" className="button" onClick={() => navigate(entry.kind === 'person' ? { name: 'person', id: clash.id } : { name: 'entry', id: clash.id })}>
        {entry.kind === 'person' ? 'Open their page' : 'Open it'}
      </button>
      {entry.kind === 'person' && (
        <button type="button" className="button" onClick={() => void save(true)}>
          Save anyway
        </button>
      )}
    </div>
  );

  return (
    <form className="editor" onSubmit={onSubmit} onKeyDown={onKeyDown} aria-label="Edit entry" data-testid="entry-editor">
      {entry.kind === 'person' ? (
        <>
          <TextField label="Name" value={f.name} onChange={(e) => set('name', e.target.value)} required autoFocus />
          {clashBanner}
          <div className="field-row">
            <TextField label="Role" value={f.role} onChange={(e) => set('role', e.target.value)} />
            <TextField label="Organisation" value={f.organisation} onChange={(e) => set('organisation', e.target.value)} />
          </div>
          <TextField label="Also known as" hint="Other names and handles, separated by commas" value={f.aliases} onChange={(e) => set('aliases', e.target.value)} />
          <TagInput label="Knows about" values={f.topics} onChange={(v) => set('topics', v)} onTyping={typingInto('topics')} placeholder="Add a topic and press Enter" />
          <TextAreaField label="How to reach them" hint="One per line: e-mail, phone, profile URL" rows={3} value={f.contacts} onChange={(e) => set('contacts', e.target.value)} />
          <TextField label="Recommended by" value={f.recommendedBy} onChange={(e) => set('recommendedBy', e.target.value)} />
        </>
      ) : (
        <TextField label="Title" value={f.title} onChange={(e) => set('title', e.target.value)} placeholder="Optional: the first line is used when empty" />
      )}
      {entry.kind === 'bookmark' && (
        <>
          <TextField label="URL" type="url" value={f.url} onChange={(e) => set('url', e.target.value)} required />
          {clashBanner}
          <TextAreaField label="Excerpt" rows={2} value={f.excerpt} onChange={(e) => set('excerpt', e.target.value)} />
        </>
      )}
      {entry.kind === 'question' && (
        <div className="field-row">
          <div className="field">
            <label className="field-label" htmlFor={`${bodyId}-status`}>
              Status
            </label>
            <select id={`${bodyId}-status`} className="input" value={f.status} onChange={(e) => set('status', e.target.value as QuestionStatus)}>
              <option value="open">Open</option>
              <option value="answered">Answered</option>
              <option value="closed">Closed</option>
            </select>
          </div>
          <TextField label="Asked by" value={f.askedBy} onChange={(e) => set('askedBy', e.target.value)} />
        </div>
      )}
      <div className="field">
        <label className="field-label" htmlFor={bodyId}>
          {entry.kind === 'person' ? 'Notes' : entry.kind === 'bookmark' ? 'Why it matters' : entry.kind === 'question' ? 'Question' : 'Text'}
        </label>
        <CompletionTextarea
          id={bodyId}
          className="input textarea editor-body"
          value={f.body}
          onValueChange={(v) => set('body', v)}
          rows={entry.kind === 'note' ? 10 : 5}
          autoFocus={entry.kind !== 'person'}
          data-testid="editor-body"
        />
      </div>
      {entry.kind === 'question' && <TextAreaField label="Answer" rows={4} value={f.answer} onChange={(e) => set('answer', e.target.value)} />}
      <TagInput label="Tags" values={f.tags} onChange={(v) => set('tags', v)} onTyping={typingInto('tags')} prefix="#" normalise={normalizeTag} placeholder="Add a tag and press Enter" />
      <div className="editor-actions">
        <span className="field-hint">
          <kbd>{modKey}</kbd>+<kbd>Enter</kbd> to save · <kbd>Esc</kbd> to cancel · the previous version is kept in History
        </span>
        <button type="button" className="button" onClick={() => (dirty ? askToDiscard(onDone) : onDone())}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
      </div>
      <ConfirmDialog
        open={discardThen !== null}
        title="Discard your changes?"
        message="The entry stays as it was before you started editing."
        confirmLabel="Discard changes"
        danger
        onCancel={() => setDiscardThen(null)}
        onConfirm={() => {
          setDiscardThen(null);
          discardThen?.();
        }}
      />
    </form>
  );
}
