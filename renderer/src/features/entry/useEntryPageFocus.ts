import { useEffect, useRef } from 'react';

/**
 * An entry's page swaps its controls as the entry changes state: the editor takes the place of the
 * text and of the header's Edit and Delete, and the Trash banner takes the place of Edit and Delete
 * after a delete. The control that was used goes with them, and focus would fall to <body>, from
 * where a keyboard user starts again at "Skip to content". This gives focus to the control now in its
 * place: Edit once the entry is shown again (the editor closed, or the entry restored), the banner's
 * Restore once it is in the Trash. The editor takes focus itself when it opens.
 */
export function useEntryPageFocus(editing: boolean, trashed: boolean) {
  const editButton = useRef<HTMLButtonElement>(null);
  const restoreButton = useRef<HTMLButtonElement>(null);
  const mode = editing ? 'editing' : trashed ? 'trashed' : 'reading';
  const lastMode = useRef(mode);

  useEffect(() => {
    if (mode === lastMode.current) return;
    lastMode.current = mode;
    // Only focus that was lost: a change made in another window leaves the user's place alone.
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    if (mode === 'reading') editButton.current?.focus();
    else if (mode === 'trashed') restoreButton.current?.focus();
  }, [mode]);

  return { editButton, restoreButton };
}
