import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's top folder. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Node 22 pinned by the repository (the machine's `node` is older). */
export const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
/** The `outloud` command as installed (it runs its bundle when up to date, else the sources). */
export const OUTLOUD_BIN = path.join(REPO_ROOT, 'electron/core/cli/outloud.cjs');
