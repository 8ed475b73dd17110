/**
 * V8 code caches for the built core worker, in the per-user cache folder (never the repository or the
 * app's install folder, which may be read-only): the same folder the `outloud` bin keeps its own in
 * (electron/core/cli/outloud.cjs), and turned off the same way, with NODE_DISABLE_COMPILE_CACHE.
 */
import os from 'node:os';
import path from 'node:path';

export interface CacheFolderSources {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  homedir?: string;
}

/** `<cache>/Outloud`: ~/.cache (or $XDG_CACHE_HOME), ~/Library/Caches, %LOCALAPPDATA%\Outloud\Cache. */
export function userCacheDir(sources: CacheFolderSources = {}): string | null {
  const env = sources.env ?? process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE) return null;
  const platform = sources.platform ?? process.platform;
  const home = sources.homedir ?? os.homedir();
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'Outloud', 'Cache');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'Outloud');
  const xdg = env.XDG_CACHE_HOME;
  return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.cache'), 'Outloud');
}

/**
 * The cache file for the worker bundle in `bundle`'s folder: one per install (two never share one),
 * and the same across builds, whose file names change (the cache of the last one is replaced).
 */
export function codeCacheFile(cacheDir: string, bundle: string): string {
  return path.join(cacheDir, 'code-cache', `worker-${fnv1a(path.dirname(path.resolve(bundle)))}.bin`);
}

/** FNV-1a, as the bin names its caches. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
