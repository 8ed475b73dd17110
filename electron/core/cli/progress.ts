/** A progress bar on stderr for long imports and exports, only when a person is watching it. */
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { OutStream } from './context.ts';

export interface Progress {
  update(value: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

// cli-progress (and the readline it loads) is required when a bar is first shown, not when the CLI
// starts: a command that shows none, such as every search, saves a few milliseconds.
const load = () => createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;

export function progressBar(stderr: OutStream, label: string, total: number, showValues = true): Progress {
  if (!stderr.isTTY || total <= 0) return NONE;
  const cliProgress = load();
  const bar = new cliProgress.SingleBar(
    {
      stream: stderr as unknown as NodeJS.WritableStream,
      format: `${label} [{bar}] {percentage}%${showValues ? ' | {value}/{total}' : ''}`,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value) => bar.update(Math.min(value, total)),
    stop: () => bar.stop(),
  };
}
