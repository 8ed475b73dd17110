import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirFromArgv, defaultDataDir, resolveDataDir } from './paths.ts';

describe('resolveDataDir', () => {
  const home = '/home/ada';

  it('prefers --data-dir over OUTLOUD_DATA_DIR over the OS folder', () => {
    const env = { OUTLOUD_DATA_DIR: '/srv/env-journal' };
    expect(resolveDataDir({ argv: ['outloud', '--data-dir', '/srv/flag-journal'], env, homedir: home, platform: 'linux' })).toEqual({
      dir: '/srv/flag-journal',
      from: 'flag',
    });
    expect(resolveDataDir({ argv: ['outloud'], env, homedir: home, platform: 'linux' })).toEqual({ dir: '/srv/env-journal', from: 'env' });
    expect(resolveDataDir({ argv: ['outloud'], env: {}, homedir: home, platform: 'linux' })).toEqual({
      dir: '/home/ada/.config/Outloud',
      from: 'default',
    });
  });

  it('takes a flag value parsed by the caller over argv', () => {
    expect(resolveDataDir({ flag: '/a', argv: ['--data-dir', '/b'], env: {} }).dir).toBe('/a');
  });

  it('resolves a relative flag or env value against the working directory', () => {
    expect(resolveDataDir({ argv: ['--data-dir=journal'], env: {}, cwd: '/work/here' }).dir).toBe(path.resolve('/work/here', 'journal'));
    expect(resolveDataDir({ argv: [], env: { OUTLOUD_DATA_DIR: 'j2' }, cwd: '/work/here' }).dir).toBe(path.resolve('/work/here', 'j2'));
  });

  it('ignores an empty or blank OUTLOUD_DATA_DIR', () => {
    expect(resolveDataDir({ argv: [], env: { OUTLOUD_DATA_DIR: '  ' }, homedir: home, platform: 'linux' }).from).toBe('default');
  });
});

describe('defaultDataDir matches Electron userData for productName Outloud', () => {
  it('Linux: XDG_CONFIG_HOME or ~/.config', () => {
    expect(defaultDataDir({ platform: 'linux', homedir: '/home/ada', env: {} })).toBe('/home/ada/.config/Outloud');
    expect(defaultDataDir({ platform: 'linux', homedir: '/home/ada', env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/Outloud');
    // A relative XDG_CONFIG_HOME is invalid per the spec.
    expect(defaultDataDir({ platform: 'linux', homedir: '/home/ada', env: { XDG_CONFIG_HOME: 'rel' } })).toBe('/home/ada/.config/Outloud');
  });

  it('macOS: ~/Library/Application Support', () => {
    expect(defaultDataDir({ platform: 'darwin', homedir: '/Users/ada', env: {} })).toBe('/Users/ada/Library/Application Support/Outloud');
  });

  it('Windows: %APPDATA%', () => {
    expect(defaultDataDir({ platform: 'win32', homedir: 'C:\\Users\\ada', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' } })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Outloud',
    );
    expect(defaultDataDir({ platform: 'win32', homedir: 'C:\\Users\\ada', env: {} })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Outloud');
  });
});

describe('dataDirFromArgv', () => {
  it('reads both spellings, the last one wins, and a missing value is ignored', () => {
    expect(dataDirFromArgv(['--data-dir', '/x'])).toBe('/x');
    expect(dataDirFromArgv(['--data-dir=/y'])).toBe('/y');
    expect(dataDirFromArgv(['--data-dir', '/x', '--data-dir=/y'])).toBe('/y');
    expect(dataDirFromArgv(['--data-dir'])).toBeUndefined();
    expect(dataDirFromArgv(['--data-dir', '--json'])).toBeUndefined();
    expect(dataDirFromArgv(['--data-dir='])).toBeUndefined();
  });
});
