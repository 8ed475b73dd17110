/**
 * Which sidebar section the entry on screen belongs to: an entry page knows its kind and whether it
 * is in the Trash only once it has loaded, and the sidebar (outside the page) highlights by it.
 */
import { useSyncExternalStore } from 'react';
import type { Entry } from '../../../shared/domain/entry.ts';

export type EntrySection = 'timeline' | 'people' | 'bookmarks' | 'questions' | 'trash';

let current: { id: string; section: EntrySection } | null = null;
const listeners = new Set<() => void>();

export function sectionOf(entry: Pick<Entry, 'kind' | 'deletedAt'>): EntrySection {
  if (entry.deletedAt !== null) return 'trash';
  switch (entry.kind) {
    case 'person':
      return 'people';
    case 'bookmark':
      return 'bookmarks';
    case 'question':
      return 'questions';
    default:
      return 'timeline';
  }
}

/** Called by the entry page once it knows the entry (and again when it moves to or from the Trash). */
export function showingEntry(id: string, section: EntrySection): void {
  if (current?.id === id && current.section === section) return;
  current = { id, section };
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The section of the entry with this id, or null until its page has loaded it. */
export function useEntrySection(id: string | null): EntrySection | null {
  const shown = useSyncExternalStore(subscribe, () => current);
  return id !== null && shown?.id === id ? shown.section : null;
}
