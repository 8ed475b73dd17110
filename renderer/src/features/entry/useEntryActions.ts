import { useCallback } from 'react';
import type { Entry } from '../../../../shared/domain/entry.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useToast } from '../../hooks/useToast.ts';
import { call } from '../../lib/api.ts';
import { fallbackTitle } from '../../lib/text.ts';

/** Trash, restore and purge, with the toasts (and Undo) that go with them. */
export function useEntryActions() {
  const run = useAction();
  const toast = useToast();

  const restore = useCallback(
    async (id: string) => {
      const r = await run(call('entries.restore', { id }));
      if (r.ok) toast.info(`Restored “${short(fallbackTitle(r.value))}”`);
      return r.ok;
    },
    [run, toast],
  );

  const trash = useCallback(
    async (entry: Entry) => {
      const r = await run(call('entries.delete', { id: entry.id }));
      if (r.ok) toast.info(`Moved “${short(fallbackTitle(entry))}” to the Trash`, { label: 'Undo', run: () => void restore(entry.id) });
      return r.ok;
    },
    [run, toast, restore],
  );

  const purge = useCallback(
    async (entry: Entry) => {
      const r = await run(call('entries.purge', { id: entry.id }));
      if (r.ok) toast.info(`Deleted “${short(fallbackTitle(entry))}” for good`);
      return r.ok;
    },
    [run, toast],
  );

  return { trash, restore, purge };
}

function short(s: string): string {
  return s.length > 48 ? `${s.slice(0, 47)}…` : s;
}
