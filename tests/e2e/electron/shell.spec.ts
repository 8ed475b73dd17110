/**
 * The desktop shell end to end: quick capture, hotkey, single instance, tray, deep links and the
 * security defaults, in a real Electron. Skipped (with the reason printed) where Electron is not
 * installed.
 */
import { METHOD_NAMES } from '../../../shared/api/contract.ts';
import { DEFAULT_HOTKEY } from '../../../shared/api/shell.ts';
import { expect, launchApp, runSecondInstance, skipReason, test, type E2EGlobal, type RendererGlobals } from './electron-app.ts';

// page.evaluate() callbacks run in the page and cannot close over anything here, so each one casts
// the page's globalThis to this type.
type R = RendererGlobals;

test.skip(skipReason !== null, skipReason ?? '');

type Listed = { ok: boolean; value?: { items: Array<{ body: string; source: string }> } };

test.describe('quick capture', () => {
  test('is created hidden at start and the hotkey is registered', async ({ app, capturePage }) => {
    expect(capturePage.url()).toContain('#/capture');
    const state = await app.evaluate(({ globalShortcut }, hotkey) => {
      const capture = (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!;
      return {
        visible: capture.win.isVisible(),
        onTop: capture.win.isAlwaysOnTop(),
        frameless: !capture.win.isMenuBarVisible(),
        registered: globalShortcut.isRegistered(hotkey),
      };
    }, DEFAULT_HOTKEY);
    expect(state).toMatchObject({ visible: false, onTop: true, registered: true });
  });

  test('the hotkey window shows, saves with Enter and hides', async ({ app, mainPage, capturePage }) => {
    // What the global shortcut does when pressed.
    await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.toggle());
    await expect.poll(() => app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.win.isVisible())).toBe(true);

    const box = capturePage.getByRole('textbox').first();
    await expect(box).toBeFocused();
    await box.fill('Captured from anywhere #hotkey @Rogier');
    await box.press('Enter');

    await expect.poll(() => app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.win.isVisible())).toBe(false);
    const listed = (await mainPage.evaluate(() => (globalThis as unknown as R).outloud['entries.list']({ limit: 10 }))) as Listed;
    expect(listed.ok).toBe(true);
    expect(listed.value!.items.find((e) => e.body === 'Captured from anywhere #hotkey @Rogier')?.source).toBe('capture');
  });

  test('Esc hides without saving and keeps the draft', async ({ app, mainPage, capturePage }) => {
    await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.show());
    const box = capturePage.getByRole('textbox').first();
    await box.fill('a draft I am not done with');
    await box.press('Escape');
    await expect.poll(() => app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.win.isVisible())).toBe(false);
    const listed = (await mainPage.evaluate(() => (globalThis as unknown as R).outloud['entries.list']({ limit: 10 }))) as Listed;
    expect(listed.value!.items.some((e) => e.body.includes('a draft I am not done with'))).toBe(false);
    await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.show());
    await expect(box).toHaveValue('a draft I am not done with');
  });
});

test.describe('global shortcut settings', () => {
  test('changes the hotkey, and keeps the old one when a new one is refused', async ({ app, mainPage }) => {
    const changed = await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.setHotkey('Alt+Shift+F9'));
    expect(changed).toEqual({ ok: true, value: { hotkey: 'Alt+Shift+F9' } });
    expect(await app.evaluate(({ globalShortcut }) => [globalShortcut.isRegistered('Alt+Shift+F9'), globalShortcut.isRegistered('CommandOrControl+Shift+Space')])).toEqual([true, false]);

    const invalid = await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.setHotkey('Banana'));
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    // An accelerator that is taken (here by the app itself, as another app would hold it).
    await app.evaluate(({ globalShortcut }) => globalShortcut.register('Alt+Shift+F10', () => undefined));
    const taken = await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.setHotkey('Alt+Shift+F10'));
    expect(taken).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.getInfo())).toMatchObject({ hotkey: 'Alt+Shift+F9', hotkeyRegistered: true });
  });
});

test.describe('tray', () => {
  test('offers Quick capture, Open Outloud and Quit, and Quick capture shows the window', async ({ app }) => {
    const labels = await app.evaluate(() =>
      (globalThis as unknown as E2EGlobal).__outloudE2E
        .tray()!
        .menu()
        .items.filter((i) => i.type !== 'separator')
        .map((i) => i.label),
    );
    expect(labels).toEqual(['Quick capture', 'Open Outloud', 'Quit Outloud']);
    await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.tray()!.menu().getMenuItemById('quick-capture')!.click());
    await expect.poll(() => app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.win.isVisible())).toBe(true);
  });
});

test.describe('single instance and deep links', () => {
  test('a second launch exits, brings the first forward and hands over its deep link', async ({ app, dataDir, mainPage }) => {
    await mainPage.evaluate(() => {
      const links: unknown[] = [];
      (globalThis as unknown as R).__links = links;
      (globalThis as unknown as R).outloudShell!.onDeepLink((link) => links.push(link));
    });
    await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.mainWindow()!.hide());

    const code = await runSecondInstance(dataDir, 'outloud://entry/abc123');
    expect(code).toBe(0);
    await expect.poll(() => mainPage.evaluate(() => (globalThis as unknown as R).__links)).toEqual([{ kind: 'entry', id: 'abc123' }]);
    expect(await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.mainWindow()!.isVisible())).toBe(true);
  });

  test('macOS open-url links reach the renderer; malformed links do not', async ({ app, mainPage }) => {
    await mainPage.evaluate(() => {
      const links: unknown[] = [];
      (globalThis as unknown as R).__links = links;
      (globalThis as unknown as R).outloudShell!.onDeepLink((link) => links.push(link));
    });
    await app.evaluate(({ app: electronApp }) => {
      const event = { preventDefault: () => undefined };
      electronApp.emit('open-url', event, 'outloud://entry/../../etc/passwd');
      electronApp.emit('open-url', event, 'outloud://entry/xyz789');
    });
    await expect.poll(() => mainPage.evaluate(() => (globalThis as unknown as R).__links)).toEqual([{ kind: 'entry', id: 'xyz789' }]);
  });
});

test.describe('secure defaults', () => {
  test('the renderer gets exactly the contract and the shell bridge, and no Node', async ({ mainPage }) => {
    const surface = await mainPage.evaluate(() => ({
      api: Object.keys((globalThis as unknown as R).outloud).sort(),
      shell: Object.keys((globalThis as unknown as R).outloudShell ?? {}).sort(),
      require: typeof (globalThis as unknown as { require?: unknown }).require,
      process: typeof (globalThis as unknown as { process?: unknown }).process,
      ipc: typeof (globalThis as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(surface.api).toEqual([...METHOD_NAMES].sort());
    expect(surface.shell).toEqual(
      [
        'exportJournal',
        'getInfo',
        'hideCapture',
        'importJournal',
        'onCaptureShown',
        'onCommand',
        'onDeepLink',
        'onJournalChanged',
        'openExternal',
        'readClipboardUrl',
        'setHotkey',
        'showMain',
      ].sort(),
    );
    expect(surface).toMatchObject({ require: 'undefined', process: 'undefined', ipc: 'undefined' });
  });

  test('the page is served from app://outloud with a strict CSP, and cannot navigate away', async ({ mainPage }) => {
    expect(mainPage.url()).toMatch(/^app:\/\/outloud\//);
    // An inline script (what an XSS would inject) does not run under script-src 'self'.
    await mainPage.addScriptTag({ content: 'window.__inline = true' }).catch(() => undefined);
    expect(await mainPage.evaluate(() => (globalThis as unknown as R).__inline === true)).toBe(false);
    await mainPage.evaluate(() => {
      (globalThis as unknown as R).location.href = 'https://example.com/';
    });
    await mainPage.waitForTimeout(500);
    expect(mainPage.url()).toMatch(/^app:\/\/outloud\//);
  });

  test('openExternal refuses anything but http, https and mailto', async ({ mainPage }) => {
    const refused = await mainPage.evaluate(() => (globalThis as unknown as R).outloudShell!.openExternal('file:///etc/passwd'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  test('contract calls are validated in the main process', async ({ mainPage }) => {
    const result = await mainPage.evaluate(() => (globalThis as unknown as R).outloud['entries.create']({ body: 42 } as never));
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

test.describe('main window', () => {
  test('quitting with an unsaved edit asks: Keep editing keeps the app and the edit, Discard quits', async ({ dataDir }) => {
    const app = await launchApp(dataDir);
    let quit = false;
    try {
      const page = await app.firstWindow();
      const created = (await page.evaluate(() => (globalThis as unknown as R).outloud['entries.create']({ body: 'Agenda for the offsite' }))) as { ok: boolean; value: { id: string } };
      await page.evaluate((id) => void ((globalThis as unknown as R).location.href = `#/entry/${id}`), created.value.id);
      await page.getByTestId('edit-entry').click();
      await page.getByTestId('editor-body').fill('Agenda for the offsite, with the new venue');

      // The native dialog, answered here: first "Keep editing" (1), then "Discard the edit" (0).
      const answerDialog = (answer: number) =>
        app.evaluate(({ dialog }, answer) => {
          const g = globalThis as unknown as { __asked: string[] };
          g.__asked ??= [];
          dialog.showMessageBoxSync = ((...args: unknown[]) => {
            g.__asked.push((args.at(-1) as { message: string }).message);
            return answer;
          }) as typeof dialog.showMessageBoxSync;
        }, answer);
      const asked = () => app.evaluate(() => (globalThis as unknown as { __asked: string[] }).__asked);
      const main = () => app.evaluate(() => {
        const win = (globalThis as unknown as E2EGlobal).__outloudE2E.mainWindow();
        return { open: !!win && !win.isDestroyed(), visible: !!win && !win.isDestroyed() && win.isVisible() };
      });

      await answerDialog(1);
      await app.evaluate(({ app }) => app.quit());
      await expect.poll(asked).toEqual(['Discard the edit you have not saved?']);
      await expect.poll(main).toEqual({ open: true, visible: true });
      await expect(page.getByTestId('editor-body')).toHaveValue('Agenda for the offsite, with the new venue');
      // The quit was called off: closing the window hides it again, as before, and the hotkey's
      // window shows (made again if the quit had closed it first).
      await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.mainWindow()!.close());
      await expect.poll(main).toEqual({ open: true, visible: false });
      await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.show());
      await expect.poll(() => app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.win.isVisible())).toBe(true);
      await app.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.capture()!.hide());

      await answerDialog(0);
      const closed = app.waitForEvent('close');
      await app.evaluate(({ app }) => app.quit());
      await closed;
      quit = true;
      expect(await asked()).toHaveLength(2);
    } finally {
      if (!quit) await app.close();
    }
  });


  test('remembers its size across launches', async ({ dataDir }) => {
    const first = await launchApp(dataDir);
    await first.firstWindow();
    await first.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.mainWindow()!.setBounds({ width: 1000, height: 700 }));
    await first.close();

    const second = await launchApp(dataDir);
    try {
      await second.firstWindow();
      const size = await second.evaluate(() => (globalThis as unknown as E2EGlobal).__outloudE2E.mainWindow()!.getSize());
      expect(size).toEqual([1000, 700]);
    } finally {
      await second.close();
    }
  });
});
