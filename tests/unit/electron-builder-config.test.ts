import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  protocols: Array<{ schemes: string[] }>;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

function loadConfig(): BuilderConfig {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  return yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

function pngSize(file: string): { width: number; height: number } {
  const data = fs.readFileSync(path.join(root, file));
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  const config = loadConfig();

  it("matches electron-builder's own schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, dmg, and nsis for Outloud', () => {
    expect(config.appId).toBe('app.outloud.desktop');
    expect(config.productName).toBe('Outloud');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('keeps better-sqlite3 out of the asar and does not rebuild it', () => {
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    // The core worker thread loads from disk beside it (electron/main/index.ts, electron.vite.config.ts).
    expect(config.asarUnpack).toContain('out/main/chunks/core.worker-*.cjs');
    expect(config.npmRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    // The N-API prebuilds that make the rebuild unnecessary are there.
    const prebuilds = fs.readdirSync(path.join(root, 'node_modules/better-sqlite3/prebuilds'));
    for (const platform of ['linux-x64.node', 'darwin-arm64.node', 'darwin-x64.node', 'win32-x64.node']) expect(prebuilds).toContain(platform);
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('registers the outloud:// scheme', () => {
    expect(config.protocols.flatMap((p) => p.schemes)).toContain('outloud');
  });

  it('points at icons that exist in the sizes the platforms need', () => {
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) expect(pngSize(icon)).toEqual({ width: 512, height: 512 });
    expect(pngSize('resources/tray.png')).toEqual({ width: 32, height: 32 });
    expect(pngSize('resources/trayTemplate.png')).toEqual({ width: 16, height: 16 });
    expect(pngSize('resources/trayTemplate@2x.png')).toEqual({ width: 32, height: 32 });
  });
});
