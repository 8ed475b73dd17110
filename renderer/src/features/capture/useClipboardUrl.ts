import { useCallback, useState } from 'react';
import { externalUrl, shell } from '../../lib/api.ts';

/** A single http(s) URL, or null. */
export function asHttpUrl(text: string): string | null {
  const t = text.trim();
  if (!t || /\s/.test(t) || t.length > 8192) return null;
  const url = externalUrl(t);
  return url && /^https?:/i.test(url) ? url : null;
}

/**
 * The URL on the clipboard, when there is one and the host lets us see it: the desktop shell reads
 * it in the main process; a browser only answers when clipboard access was already granted (no
 * prompt is ever triggered on our own).
 */
export function useClipboardUrl() {
  const [url, setUrl] = useState<string | null>(null);

  const check = useCallback(async (userAsked = false) => {
    const sh = shell();
    try {
      if (sh) {
        setUrl(asHttpUrl((await sh.readClipboardUrl()) ?? ''));
        return;
      }
      if (!navigator.clipboard?.readText) return;
      if (!userAsked) {
        const status = await navigator.permissions?.query({ name: 'clipboard-read' as PermissionName }).catch(() => null);
        if (status?.state !== 'granted') return;
      }
      setUrl(asHttpUrl(await navigator.clipboard.readText()));
    } catch {
      // Denied or unavailable: the offer is simply not shown.
    }
  }, []);

  const canAsk = !shell() && typeof navigator.clipboard?.readText === 'function';
  return { url, check, canAsk, clear: () => setUrl(null) };
}
