/**
 * Serves the built renderer from `app://outloud/` instead of file:// (Electron's security checklist:
 * a custom protocol gives the page a real origin, no access to other local files, and response
 * headers, so the CSP arrives as a header exactly as in browser mode).
 */
import fs from 'node:fs';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, cacheControlFor, lookupStaticFile } from '../core/http/static-files.ts';
import { APP_HOST, APP_SCHEME } from './trust.ts';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
  ]);
}

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** After `app` is ready: answer app://outloud/<path> from the renderer folder. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    const found = await lookupStaticFile(rendererDir, url.pathname);
    if (found.status !== 200) return plain(found.status, found.status === 400 ? 'Bad path' : 'Not found');
    const body = await fs.promises.readFile(found.file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...BASE_HEADERS, 'Content-Type': found.contentType, 'Cache-Control': cacheControlFor(found.relative) },
    });
  });
}
