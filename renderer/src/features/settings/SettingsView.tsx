import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { ImportProgress, DoctorReport } from '../../../../shared/domain/journal.ts';
import type { ShellInfo } from '../../../../shared/api/shell.ts';
import { Icon, type IconName } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, Spinner } from '../../components/States.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useApiQuery } from '../../hooks/useApiQuery.ts';
import { useTheme, type ThemePref } from '../../hooks/useTheme.ts';
import { useToast } from '../../hooks/useToast.ts';
import { call, exportJournalFile, shell, type ExportPageProgress } from '../../lib/api.ts';
import { formatBytes, formatNumber, isMac } from '../../lib/format.ts';
import { acceleratorFromEvent, describeAccelerator } from './accelerator.ts';
import { cancelImport, clearEnded, startImport, useImportTask } from './import-task.ts';

export function SettingsView() {
  return (
    <div className="page page-settings">
      <PageHeader narrow title="Settings" />
      <div className="page-body page-body-narrow settings">
        <AppearanceSection />
        <HotkeySection />
        <DataSection />
        <BackupSection />
      </div>
    </div>
  );
}

function Section({ icon, title, description, children, testId }: { icon: IconName; title: string; description?: ReactNode; children: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <section className="settings-section" aria-labelledby={id} data-testid={testId}>
      <div className="settings-section-head">
        <span className="settings-icon">
          <Icon name={icon} size={16} />
        </span>
        <div>
          <h2 id={id} className="settings-title">
            {title}
          </h2>
          {description && <p className="settings-description">{description}</p>}
        </div>
      </div>
      <div className="settings-section-body">{children}</div>
    </section>
  );
}

const THEMES: Array<{ value: ThemePref; label: string; icon: IconName }> = [
  { value: 'system', label: 'Match system', icon: 'monitor' },
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
];

function AppearanceSection() {
  const [theme, setTheme] = useTheme();
  return (
    <Section icon="sun" title="Appearance" description="Outloud follows your system’s light or dark setting unless you choose one here.">
      <div className="segmented" role="radiogroup" aria-label="Theme" data-testid="theme-picker">
        {THEMES.map((t) => (
          <label key={t.value} className="segmented-option">
            <input type="radio" name="theme" value={t.value} checked={theme === t.value} onChange={() => setTheme(t.value)} />
            <span className="segmented-label">
              <Icon name={t.icon} size={15} /> {t.label}
            </span>
          </label>
        ))}
      </div>
    </Section>
  );
}

function HotkeySection() {
  const sh = shell();
  const [info, setInfo] = useState<ShellInfo | null>(null);
  const [recording, setRecording] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const toast = useToast();
  const fieldId = useId();

  useEffect(() => {
    if (sh) void sh.getInfo().then(setInfo);
  }, [sh]);

  if (!sh) {
    return (
      <Section icon="zap" title="Quick capture" description="A global shortcut opens a small capture window over any app.">
        <p className="muted small" data-testid="hotkey-unavailable">
          The global shortcut is part of the desktop app. In the browser, keep this tab pinned and press <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd>+<kbd>K</kbd> to search or{' '}
          <kbd>N</kbd> for a new note.
        </p>
      </Section>
    );
  }

  const save = async (accelerator: string) => {
    setSaving(true);
    const r = await sh.setHotkey(accelerator);
    setSaving(false);
    setPending(null);
    if (r.ok) {
      setError(null);
      setInfo((i) => (i ? { ...i, hotkey: r.value.hotkey, hotkeyRegistered: true } : i));
      toast.info(`Quick capture is now ${describeAccelerator(r.value.hotkey, isMac)}`);
    } else {
      setError(r.error.message);
    }
  };

  return (
    <Section icon="zap" title="Quick capture" description="Press the shortcut anywhere to open the capture window. Enter saves, Esc hides it." testId="hotkey-section">
      <div className="field">
        <label className="field-label" htmlFor={fieldId}>
          Shortcut
        </label>
        <div className="hotkey-row">
          <input
            id={fieldId}
            className={`input hotkey-input${recording ? ' recording' : ''}`}
            readOnly
            value={recording ? (pending ? describeAccelerator(pending, isMac) : 'Press the new shortcut…') : info ? describeAccelerator(info.hotkey, isMac) : '…'}
            aria-describedby={`${fieldId}-hint`}
            aria-invalid={error ? true : undefined}
            data-testid="hotkey-input"
            onKeyDown={(e) => {
              if (!recording) {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setRecording(true);
                }
                return;
              }
              e.preventDefault();
              e.stopPropagation();
              if (e.key === 'Escape') {
                setRecording(false);
                setPending(null);
                return;
              }
              const accel = acceleratorFromEvent(e, isMac);
              if (accel) {
                setRecording(false);
                void save(accel);
              }
            }}
            onBlur={() => setRecording(false)}
          />
          <button
            type="button"
            className="button"
            disabled={saving}
            onClick={() => {
              setRecording(true);
              setError(null);
              document.getElementById(fieldId)?.focus();
            }}
          >
            {saving ? 'Saving…' : 'Change…'}
          </button>
          {info && info.hotkey !== 'CommandOrControl+Shift+Space' && (
            <button type="button" className="button button-ghost" onClick={() => void save('CommandOrControl+Shift+Space')}>
              Reset
            </button>
          )}
        </div>
        <p id={`${fieldId}-hint`} className={error ? 'field-hint error-text' : 'field-hint'} role={error ? 'alert' : undefined}>
          {error
            ? `${error} The previous shortcut is still active.`
            : info && !info.hotkeyRegistered
              ? 'Another app holds this shortcut, so it is not active. Choose a different one.'
              : 'Click Change, then press the keys together. Esc cancels.'}
        </p>
      </div>
    </Section>
  );
}

function DataSection() {
  const { state, reload } = useApiQuery('journal.stats', {});
  const [doctor, setDoctor] = useState<DoctorReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [info, setInfo] = useState<ShellInfo | null>(null);
  const run = useAction();
  const toast = useToast();
  const sh = shell();

  useEffect(() => {
    if (sh) void sh.getInfo().then(setInfo);
  }, [sh]);

  const stats = state.data;
  const check = async () => {
    setChecking(true);
    const r = await run(call('journal.doctor', {}));
    setChecking(false);
    if (r.ok) setDoctor(r.value);
  };

  return (
    <Section
      icon="database"
      title="Data"
      description="Everything lives in one SQLite file on this computer. The command line uses the same file."
      testId="data-section"
    >
      {state.status === 'error' && !stats ? (
        <ErrorState error={state.error} onRetry={reload} />
      ) : !stats ? (
        <Spinner label="Loading" />
      ) : (
        <>
          <div className="field">
            <span className="field-label" id="db-path-label">
              Journal file
            </span>
            <div className="path-row">
              <code className="path" aria-labelledby="db-path-label" data-testid="database-path">
                {stats.databasePath}
              </code>
              <button
                type="button"
                className="button button-small"
                onClick={() =>
                  void navigator.clipboard.writeText(stats.databasePath).then(
                    () => toast.info('Path copied'),
                    () => toast.error('Could not copy to the clipboard'),
                  )
                }
              >
                <Icon name="copy" size={14} /> Copy
              </button>
            </div>
            {info && (
              <p className="field-hint">
                {info.dataDirFrom === 'flag'
                  ? 'Chosen with --data-dir.'
                  : info.dataDirFrom === 'env'
                    ? 'Chosen with the OUTLOUD_DATA_DIR environment variable.'
                    : 'Your system’s folder for app data. Start Outloud with --data-dir or OUTLOUD_DATA_DIR to use another.'}
              </p>
            )}
          </div>
          <dl className="stats">
            <Stat label="Entries" value={formatNumber(stats.entries)} />
            <Stat label="Notes" value={formatNumber(stats.byKind.note ?? 0)} />
            <Stat label="People" value={formatNumber(stats.byKind.person ?? 0)} />
            <Stat label="Bookmarks" value={formatNumber(stats.byKind.bookmark ?? 0)} />
            <Stat label="Questions" value={formatNumber(stats.byKind.question ?? 0)} />
            <Stat label="In Trash" value={formatNumber(stats.trashed)} />
            <Stat label="Earlier versions" value={formatNumber(stats.revisions)} />
            <Stat label="File size" value={formatBytes(stats.databaseBytes)} />
          </dl>
          <div className="row-actions">
            <button type="button" className="button" onClick={() => void check()} disabled={checking} data-testid="run-doctor">
              <Icon name="health" size={15} /> {checking ? 'Checking…' : 'Check the journal'}
            </button>
          </div>
          {doctor && (
            <ul className={`doctor ${doctor.ok ? 'doctor-ok' : 'doctor-bad'}`} aria-label="Journal checks" data-testid="doctor-report">
              {doctor.checks.map((c) => (
                <li key={c.name} className={c.ok ? 'ok' : 'bad'}>
                  <Icon name={c.ok ? 'check' : 'alert'} size={14} />
                  <span className="doctor-name">{c.name}</span>
                  <span className="doctor-detail">{c.detail}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * An import under way: how far it has come once the core says (the desktop app through the shell,
 * browser mode over the API socket), else an indeterminate bar (uploading, or no socket).
 */
function ImportProgressBar({ name, progress, onCancel, cancelling }: { name: string; progress: ImportProgress | null; onCancel(): void; cancelling: boolean }) {
  const determinate = progress !== null && progress.total > 0;
  const percent = determinate ? Math.min(100, Math.floor((progress.done / progress.total) * 100)) : 0;
  const label = !determinate
    ? `Importing ${name}…`
    : progress.step === 'checking'
      ? `Checking ${name} before anything is imported… ${percent}%`
      : `Importing ${name}: ${formatNumber(progress.done)} of ${formatNumber(progress.total)} items`;
  return (
    <div className="import-progress" data-testid="import-progress">
      <div className="import-progress-bar">
        {determinate ? (
          <progress key={progress.step} className="progress progress-determinate" value={progress.done} max={progress.total} aria-label={label} />
        ) : (
          <div className="progress progress-indeterminate" role="progressbar" aria-label={label} />
        )}
        <p className="field-hint">{cancelling ? 'Cancelling: the batch under way finishes first…' : label}</p>
      </div>
      {/* Stops before the next batch: what came in stays, and importing the same file again continues. */}
      <button type="button" className="button button-small" onClick={onCancel} disabled={cancelling} data-testid="import-cancel">
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

/**
 * An export under way: the items the core has written (the desktop app through the shell, browser
 * mode over the API socket), then in browser mode the download being saved.
 */
function ExportProgressBar({ progress }: { progress: ExportPageProgress | null }) {
  const determinate = progress !== null && progress.total > 0;
  const label =
    progress === null
      ? 'Exporting…'
      : progress.phase === 'writing'
        ? `Exporting: ${formatNumber(progress.done)} of ${formatNumber(progress.total)} items written`
        : progress.total > 0
          ? `Saving the export: ${formatBytes(progress.done)} of ${formatBytes(progress.total)}`
          : 'Saving the export…';
  return (
    <div className="import-progress-bar" data-testid="export-progress">
      {determinate ? (
        // A bar of its own per phase: the new phase's bar starts empty instead of sliding back.
        <progress key={progress.phase} className="progress progress-determinate" value={progress.done} max={progress.total} aria-label={label} />
      ) : (
        <div className="progress progress-indeterminate" role="progressbar" aria-label={label} />
      )}
      <p className="field-hint">{label}</p>
    </div>
  );
}

function BackupSection() {
  const [exporting, setExporting] = useState(false);
  const [exportProgress, setExportProgress] = useState<ExportPageProgress | null>(null);
  const [cancellingExport, setCancellingExport] = useState(false);
  const cancelExport = useRef<AbortController | null>(null);
  // null: no import; '': asked for, no file chosen yet (the desktop app's Open dialog is up).
  // The import lives outside this view (import-task.ts): leaving Settings does not lose it.
  const task = useImportTask();
  const importing = task.running;
  const report = task.ended && 'report' in task.ended ? task.ended.report : null;
  const [backingUp, setBackingUp] = useState(false);
  const [backupPath, setBackupPath] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const run = useAction();
  const toast = useToast();

  // Both stream through the core (lib/api.ts): a journal of any size, never one value in this page.
  const exportJson = async () => {
    setExporting(true);
    setExportProgress(null);
    const controller = new AbortController();
    cancelExport.current = controller;
    const r = await exportJournalFile(setExportProgress, controller.signal);
    cancelExport.current = null;
    setExporting(false);
    setExportProgress(null);
    setCancellingExport(false);
    if (!r.ok && r.error.code === 'CANCELLED') toast.info(r.error.message); // on purpose: news, not an error
    else if (!r.ok) toast.error(r.error.message);
    if (!r.ok || !r.value) return; // failed (the toast says why) or the Save dialog was cancelled
    toast.info(`Exported ${formatNumber(r.value.entries)} entries${r.value.path ? ` to ${r.value.path}` : ''}`);
  };

  const importJson = async (f?: File) => {
    clearEnded();
    // In the desktop app the Open dialog comes first: "Importing" once a file is chosen (its first progress).
    const ended = await startImport(f);
    // Said wherever the user is by then. Cancelled on purpose: news, not an error.
    if (ended && 'error' in ended && ended.error.code === 'CANCELLED') toast.info(ended.error.message);
    else if (ended && 'error' in ended) toast.error(ended.error.message);
  };
  // The desktop app asks for the file with the system's Open dialog; browser mode with a file input.
  const desktop = shell() !== undefined;

  const backup = async () => {
    setBackingUp(true);
    const r = await run(call('journal.backup', {}));
    setBackingUp(false);
    if (r.ok) setBackupPath(`${r.value.path} (${formatBytes(r.value.bytes)})`);
  };

  return (
    <Section icon="download" title="Backup, export and import" description="Export is lossless: every entry, the Trash, every earlier version and every link." testId="backup-section">
      <div className="settings-actions">
        <div className="settings-action">
          <div>
            <p className="settings-action-title">Export to JSON</p>
            <p className="field-hint">{desktop ? 'Save the whole journal as one file, wherever you choose.' : 'Download the whole journal as one file.'}</p>
          </div>
          <button type="button" className="button" onClick={() => void exportJson()} disabled={exporting} data-testid="export-json">
            <Icon name="download" size={15} /> {exporting ? 'Exporting…' : 'Export'}
          </button>
        </div>
        {/* In the desktop app, once a file is chosen in the Save dialog (its first progress). */}
        {exporting && (exportProgress !== null || !desktop) && (
          <div className="import-progress">
            <ExportProgressBar progress={exportProgress} />
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setCancellingExport(true);
                cancelExport.current?.abort();
              }}
              disabled={cancellingExport}
              data-testid="export-cancel"
            >
              {cancellingExport ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
        )}

        <div className="settings-action">
          <div>
            <p className="settings-action-title">Import from JSON</p>
            <p className="field-hint">An Outloud export. Entries you already have are not added twice.</p>
          </div>
          <input
            ref={file}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="import-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importJson(f);
            }}
          />
          <button
            type="button"
            className="button"
            onClick={() => (desktop ? void importJson() : file.current?.click())}
            disabled={importing !== null}
            data-testid="import-json"
          >
            <Icon name="upload" size={15} /> {importing ? 'Importing…' : 'Import…'}
          </button>
        </div>
        {importing?.name && <ImportProgressBar name={importing.name} progress={importing.progress} onCancel={cancelImport} cancelling={importing.cancelling} />}
        {report && (
          <div className="import-report" role="status" data-testid="import-report">
            <p>
              <strong>{formatNumber(report.added)}</strong> added · <strong>{formatNumber(report.updated)}</strong> updated · <strong>{formatNumber(report.skipped)}</strong> already there
              {' '}· <strong>{formatNumber(report.revisions)}</strong> {report.revisions === 1 ? 'revision' : 'revisions'} · <strong>{formatNumber(report.links)}</strong>{' '}
              {report.links === 1 ? 'link' : 'links'}
              {report.leftOut > 0 && (
                <>
                  {' '}
                  · <strong>{formatNumber(report.leftOut)}</strong> left out (revisions or links of entries the file does not hold)
                </>
              )}
              {report.errors.length > 0 && (
                <>
                  {' '}
                  · <strong className="error-text">{formatNumber(report.errors.length)}</strong> could not be imported
                </>
              )}
            </p>
            {report.errors.length > 0 && (
              <ul className="import-errors">
                {report.errors.slice(0, 20).map((e, i) => (
                  <li key={i}>
                    <code>{e.ref}</code> {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <div className="settings-action">
          <div>
            <p className="settings-action-title">Back up the database</p>
            <p className="field-hint">A consistent copy of the SQLite file in the data folder's backups, safe while Outloud runs.</p>
          </div>
          <button type="button" className="button" onClick={() => void backup()} disabled={backingUp} data-testid="backup-now">
            <Icon name="database" size={15} /> {backingUp ? 'Backing up…' : 'Back up now'}
          </button>
        </div>
        {backupPath && (
          <p className="field-hint" role="status" data-testid="backup-result">
            Backed up to <code>{backupPath}</code>
          </p>
        )}
      </div>
    </Section>
  );
}
