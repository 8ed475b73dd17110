/**
 * Where the journal lives. The app and the CLI resolve it the same way, so both open the same file:
 * `--data-dir` flag > `OUTLOUD_DATA_DIR` > the OS per-user app data folder named `Outloud`, the same
 * folder Electron's `app.getPath('userData')` gives for productName 'Outloud'.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER_NAME = 'Outloud';
export const DATA_DIR_FLAG = '--data-dir';
export const DATA_DIR_ENV = 'OUTLOUD_DATA_DIR';

export interface DataDirSources {
  /** Command-line arguments to look for `--data-dir <dir>` or `--data-dir=<dir>` in. */
  argv?: readonly string[];
  /** The flag's value when the caller parsed its own arguments (the CLI does); wins over argv. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
  /** Relative paths are resolved against this (default: the current directory). */
  cwd?: string;
}

/** The value of `--data-dir` in argv, or undefined. The last occurrence wins, as with most CLIs. */
export function dataDirFromArgv(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === DATA_DIR_FLAG) {
      const next = argv[i + 1];
      if (next !== undefined && next !== '' && !next.startsWith('--')) {
        found = next;
        i++;
      }
    } else if (arg?.startsWith(`${DATA_DIR_FLAG}=`)) {
      const value = arg.slice(DATA_DIR_FLAG.length + 1);
      if (value) found = value;
    }
  }
  return found;
}

/** The per-user application data folder of the OS (Electron's `app.getPath('appData')`). */
export function osAppDataDir(sources: Pick<DataDirSources, 'env' | 'platform' | 'homedir'> = {}): string {
  const env = sources.env ?? process.env;
  const platform = sources.platform ?? process.platform;
  const home = sources.homedir ?? os.homedir();
  if (platform === 'win32') {
    return env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support');
  // Linux and the other Unixes follow the XDG base directory spec, as Electron does. A relative
  // XDG_CONFIG_HOME is invalid by the spec and ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
}

/** The default data folder: `<OS app data>/Outloud`. */
export function defaultDataDir(sources: Pick<DataDirSources, 'env' | 'platform' | 'homedir'> = {}): string {
  const platform = sources.platform ?? process.platform;
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(osAppDataDir(sources), APP_FOLDER_NAME);
}

export interface ResolvedDataDir {
  dir: string;
  from: 'flag' | 'env' | 'default';
}

/** Resolves the data folder and says where the answer came from (for `outloud doctor` and settings). */
export function resolveDataDir(sources: DataDirSources = {}): ResolvedDataDir {
  const cwd = sources.cwd ?? process.cwd();
  const fromFlag = sources.flag || dataDirFromArgv(sources.argv ?? process.argv.slice(1));
  if (fromFlag) return { dir: path.resolve(cwd, fromFlag), from: 'flag' };
  const fromEnv = (sources.env ?? process.env)[DATA_DIR_ENV];
  if (fromEnv && fromEnv.trim()) return { dir: path.resolve(cwd, fromEnv), from: 'env' };
  return { dir: defaultDataDir(sources), from: 'default' };
}
