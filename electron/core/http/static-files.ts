/**
 * Static files of the built renderer, shared by the loopback HTTP server (browser mode) and the
 * Electron `app://` protocol handler: one path check, one content-type table, one policy.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The renderer's Content Security Policy, the same in browser mode and in Electron. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { status: 200; file: string; relative: string; contentType: string; size: number }
  | { status: 400; relative: string }
  | { status: 404; relative: string };

/**
 * Maps a URL path (still percent-encoded, without query or fragment) to a file inside `root`.
 * A path with `..`, `.`, a backslash, a NUL or bad encoding is refused (400) rather than
 * normalised: the renderer never produces one. Symlinks leading out of `root` are not followed.
 */
export async function lookupStaticFile(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, relative: '' };
  }
  const segments = decoded.split('/');
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
    return { status: 400, relative: '' };
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const absoluteRoot = path.resolve(root);
  const file = path.resolve(absoluteRoot, relative);
  if (!file.startsWith(absoluteRoot + path.sep)) return { status: 400, relative };
  try {
    const [real, realRoot] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(absoluteRoot)]);
    if (!real.startsWith(realRoot + path.sep)) return { status: 404, relative };
    const stat = await fs.promises.stat(real);
    if (!stat.isFile()) return { status: 404, relative };
    return { status: 200, file: real, relative, contentType: contentTypeOf(real), size: stat.size };
  } catch {
    return { status: 404, relative };
  }
}

/** Vite's hashed assets never change; the page itself must be re-read so a rebuild shows. */
export function cacheControlFor(relative: string): string {
  return relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}
