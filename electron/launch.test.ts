import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../tests/helpers/temp-dir.ts';
import { findElectronBinary } from './electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..');
const node = path.join(root, 'node_modules', '.bin', 'node');
const launch = path.join(root, 'electron', 'launch.js');

function runLaunch(env: NodeJS.ProcessEnv) {
  const cleanEnv = { ...process.env };
  delete cleanEnv.ELECTRON_EXEC_PATH;
  delete cleanEnv.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(node, [launch], { cwd: root, env: { ...cleanEnv, ...env }, encoding: 'utf8', timeout: 30_000 });
}

function expectOneClearLine(result: ReturnType<typeof runLaunch>) {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Outloud: the Electron binary is not installed on this machine .*Run `npm run serve` to use Outloud in your browser\.$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}


describe('npm start (electron/launch.js)', () => {
  const installed = findElectronBinary({}).found;

  it.skipIf(installed)('says in one line that Electron is missing and points to npm run serve (binary absent here)', () => {
    expectOneClearLine(runLaunch({}));
  });

  it('says the same when ELECTRON_EXEC_PATH points nowhere', () => {
    expectOneClearLine(runLaunch({ ELECTRON_EXEC_PATH: path.join(os.tmpdir(), 'no-such-electron-binary') }));
  });
});

describe('findElectronBinary', () => {
  function fakeElectronPackage(withBinary: boolean): string {
    const dir = tempDir('outloud-electron-pkg-');
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
    if (withBinary) {
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist', 'electron'), '');
    }
    return dir;
  }

  it('finds the binary named by path.txt under dist/', () => {
    const dir = fakeElectronPackage(true);
    expect(findElectronBinary({}, dir)).toEqual({ found: true, path: path.join(dir, 'dist', 'electron') });
  });

  it('reports a package whose download never happened', () => {
    const noPathFile = tempDir('outloud-electron-pkg-');
    expect(findElectronBinary({}, noPathFile)).toMatchObject({ found: false, reason: expect.stringContaining('never downloaded') });
    expect(findElectronBinary({}, fakeElectronPackage(false))).toMatchObject({ found: false, reason: expect.stringContaining('missing') });
    expect(findElectronBinary({}, null)).toMatchObject({ found: false });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH and ELECTRON_EXEC_PATH', () => {
    const withBinary = fakeElectronPackage(true);
    const bare = fakeElectronPackage(false);
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: path.join(withBinary, 'dist') }, bare)).toEqual({
      found: true,
      path: path.join(withBinary, 'dist', 'electron'),
    });
    expect(findElectronBinary({ ELECTRON_EXEC_PATH: path.join(withBinary, 'dist', 'electron') }, null)).toEqual({
      found: true,
      path: path.join(withBinary, 'dist', 'electron'),
    });
  });
});
