/**
 * The renderers a browser diagnosis compares, from its command line: each `--renderer DIR` (built
 * already, e.g. by `electron-vite build --outDir`) and each `--build DIR`, built here from the working
 * tree (minified unless `--no-minify`); out/renderer when neither is given.
 */
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

export async function renderersFromArgs(argv: readonly string[]): Promise<string[]> {
  const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
  const builds = values('--build').map((d) => path.resolve(d));
  for (const outDir of builds) {
    const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
    await build({
      root: path.join(REPO_ROOT, 'renderer'),
      base: './',
      plugins: [react()],
      logLevel: 'warn',
      configFile: false,
      build: { outDir, minify: !argv.includes('--no-minify'), emptyOutDir: true, rolldownOptions: { input: { index: path.join(REPO_ROOT, 'renderer/index.html') } } },
    });
  }
  const renderers = [...values('--renderer').map((d) => path.resolve(d)), ...builds];
  return renderers.length > 0 ? renderers : [path.join(REPO_ROOT, 'out/renderer')];
}
