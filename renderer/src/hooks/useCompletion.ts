import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { call } from '../lib/api.ts';
import { findTrigger, type Trigger } from '../lib/completion.ts';
import { mentionSyntax } from '../lib/text.ts';
import { isWritableTag } from '../../../shared/domain/text.ts';

export interface CompletionOption {
  id: string;
  kind: 'tag' | 'person';
  /** What is shown. */
  label: string;
  /** Secondary text, e.g. the alias that matched. */
  detail?: string;
  /** What replaces the typed fragment. */
  insert: string;
}

/**
 * `#tag` and `@person` completion for a text field: watches the fragment at the caret, asks the core
 * (tags.find / people.find, fuzzy) and applies the chosen option.
 */
export function useCompletion(value: string, setValue: (v: string) => void) {
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [options, setOptions] = useState<CompletionOption[]>([]);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  // Where the caret goes once the text accept() made is in the field (see the layout effect below).
  const pendingCaret = useRef<{ el: HTMLTextAreaElement | HTMLInputElement; text: string; caret: number } | null>(null);

  // In the same commit that puts the accepted text in the field, before the next keystroke is handled.
  // (A requestAnimationFrame ran after the next frame: on a busy machine, after the user had typed on,
  // and put the caret back, so the rest of the sentence went in after the mention.) Only while the
  // field still holds that text: a caret the user has moved on from is never moved.
  useLayoutEffect(() => {
    const pending = pendingCaret.current;
    if (!pending) return;
    pendingCaret.current = null;
    if (pending.el.value !== pending.text) return;
    pending.el.focus();
    pending.el.setSelectionRange(pending.caret, pending.caret);
  }, [value]);

  const update = useCallback(
    (el: HTMLTextAreaElement | HTMLInputElement) => {
      const caret = el.selectionStart ?? el.value.length;
      const next = el.selectionStart === el.selectionEnd ? findTrigger(el.value, caret) : null;
      setTrigger((prev) => (prev?.start === next?.start && prev?.query === next?.query && prev?.kind === next?.kind ? prev : next));
    },
    [],
  );

  useEffect(() => {
    const mine = ++seq.current;
    if (!trigger) {
      setOptions([]);
      return;
    }
    const timer = window.setTimeout(async () => {
      if (trigger.kind === 'tag') {
        const r = await call('tags.find', { q: trigger.query, limit: 6 });
        if (mine !== seq.current) return;
        const seen = new Set<string>();
        const opts: CompletionOption[] = [];
        for (const m of r.ok ? r.value : []) {
          const tag = m.tag ?? m.label.replace(/^#/, '');
          // A tag `#tag` in the text cannot say (one with a space, given with --tag or in a form) is
          // not offered: inserted, it would be read as another tag.
          if (!tag || seen.has(tag) || !isWritableTag(tag)) continue;
          seen.add(tag);
          opts.push({ id: `tag:${tag}`, kind: 'tag', label: `#${tag}`, insert: `#${tag}` });
        }
        setOptions(opts);
      } else {
        const r = await call('people.find', { q: trigger.query, limit: 6 });
        if (mine !== seq.current) return;
        const opts: CompletionOption[] = (r.ok ? r.value : []).map((m) => {
          const name = m.ref.title || m.label;
          const option: CompletionOption = { id: `person:${m.ref.id}`, kind: 'person', label: name, insert: mentionSyntax(name) };
          // The label names the alias that matched, e.g. "Rogier Schouten (rogier)".
          const alias = m.label.startsWith(name) ? m.label.slice(name.length).trim().replace(/^\((.*)\)$/, '$1') : m.label;
          if (alias && alias !== name) option.detail = alias;
          return option;
        });
        setOptions(opts);
      }
      setActive(0);
    }, 60);
    return () => window.clearTimeout(timer);
  }, [trigger]);

  const open = trigger !== null && options.length > 0;

  const accept = useCallback(
    (option: CompletionOption, el: HTMLTextAreaElement | HTMLInputElement | null) => {
      if (!trigger) return;
      const insert = `${option.insert} `;
      const tail = value.slice(trigger.end).replace(/^ /, '');
      const next = value.slice(0, trigger.start) + insert + tail;
      if (el) pendingCaret.current = { el, text: next, caret: trigger.start + insert.length };
      setValue(next);
      setTrigger(null);
      setOptions([]);
    },
    [trigger, value, setValue],
  );

  const close = useCallback(() => {
    setTrigger(null);
    setOptions([]);
  }, []);

  return { open, options, active, setActive, update, accept, close, start: trigger?.start ?? null };
}
