/** `outloud edit ID` without flags: the body in the user's editor, as git commit does. */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fsMessage } from '../files/fs.ts';
import { failure } from './context.ts';

export interface EditSession {
  /** The text after the editor closed. */
  text: string;
  /** The temporary file, kept when saving fails so no typing is lost. */
  file: string;
  /** Removes the temporary file. */
  discard(): void;
}

export function editorCommand(env: Readonly<Record<string, string | undefined>>): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

/** Opens `text` in $VISUAL / $EDITOR (default vi) and returns what the user saved. */
export function editText(text: string, env: Readonly<Record<string, string | undefined>>): EditSession {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outloud-edit-'));
  const file = path.join(dir, 'entry.md');
  const discard = () => fs.rmSync(dir, { recursive: true, force: true });
  fs.writeFileSync(file, text, { mode: 0o600 });
  const editor = editorCommand(env);
  // Through the shell, because $EDITOR often carries arguments ("code --wait"); the file name is ours.
  const quoted = process.platform === 'win32' ? `"${file}"` : `'${file.replace(/'/g, `'\\''`)}'`;
  // Loaded here, not at the top: child_process brings Node's stream and socket modules, which every
  // other command (a search) would otherwise load for nothing.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const result = spawnSync(`${editor} ${quoted}`, { shell: true, stdio: 'inherit', env: { ...process.env, ...env } as NodeJS.ProcessEnv });
  if (result.error || result.status !== 0) {
    discard();
    const why = result.error ? result.error.message : result.status === 127 ? 'command not found' : `exit status ${result.status ?? result.signal}`;
    throw failure(`The editor (${editor}) did not finish (${why}); nothing was changed. Set $EDITOR, or use --body`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    // The editor removed the file (or put something unreadable in its place): no text to save, so
    // the edit is abandoned, as when the editor fails, and the folder goes with it.
    discard();
    const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw failure(`${gone ? `The editor (${editor}) removed the file it was editing` : fsMessage(error, 'read', 'the edited text')}; nothing was changed`);
  }
  // An editor set to another encoding (Latin-1, UTF-16): refused, not saved with U+FFFD in it; the file stays.
  if (!isUtf8(bytes)) {
    throw failure(`The edited text is not UTF-8 (is the editor set to another encoding?); nothing was changed (your text is kept in ${file})`);
  }
  let edited = bytes.toString('utf8');
  // Editors add a final newline; do not count that as an edit.
  if (!text.endsWith('\n') && edited.endsWith('\n')) edited = edited.slice(0, -1);
  return { text: edited, file, discard };
}
