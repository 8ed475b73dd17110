import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's top folder. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Node 22 pinned by the repository (the machine's `node` is older). */
export const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
