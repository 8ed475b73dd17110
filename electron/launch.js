// `npm start`: runs the desktop app (electron-vite preview: build, then start Electron). Where the
// Electron binary is missing it says so in one line and points to browser mode, without a stack trace.
// Arguments after `npm start --` go to the app, e.g. `npm start -- --data-dir /tmp/journal`.
import { spawn } from 'node:child_process';
import path from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`Outloud: needs Node 22.12 or newer (this is ${process.version}); run it with \`npm start\` from the project folder.`);
  process.exit(1);
}

const { findElectronBinary } = await import('./electron-binary.ts');
const binary = findElectronBinary();
if (!binary.found) {
  console.error(
    'Outloud: the Electron binary is not installed on this machine (npm downloads it from GitHub when installing Electron, and that download did not happen here). Run `npm run serve` to use Outloud in your browser.',
  );
  process.exit(1);
}

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const appArgs = process.argv.slice(2);
const child = spawn(process.execPath, [cli, 'preview', ...(appArgs.length ? ['--', ...appArgs] : [])], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: binary.path },
});
child.on('error', (error) => {
  console.error(`Outloud: could not start electron-vite: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
