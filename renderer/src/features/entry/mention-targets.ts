import type { EntryLink } from '../../../../shared/domain/entry.ts';
import { personKey } from '../../lib/text.ts';

/**
 * Person ids by the names a mention may use, from an entry's links: full name and first name
 * (`@Rogier` for "Rogier Schouten"), so mentions in the text link to the right page.
 */
export function mentionTargets(links: EntryLink[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const link of links) {
    if (link.entry.kind !== 'person' || !link.entry.title) continue;
    const full = personKey(link.entry.title);
    map.set(full, link.entry.id);
    const first = full.split(' ')[0];
    if (first && !map.has(first)) map.set(first, link.entry.id);
  }
  return map;
}
