import { describe, expect, it } from 'vitest';
import { checkAccelerator, clipboardUrl, isAllowedExternalUrl, isTrustedRendererUrl } from './trust.ts';

describe('isTrustedRendererUrl (IPC sender frames)', () => {
  it('trusts our app:// renderer in every view', () => {
    expect(isTrustedRendererUrl('app://outloud/index.html')).toBe(true);
    expect(isTrustedRendererUrl('app://outloud/index.html#/capture')).toBe(true);
    expect(isTrustedRendererUrl('app://outloud/')).toBe(true);
  });

  it('trusts the dev server origin only when one is running', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/#/people', 'http://localhost:5173')).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });

  it('refuses any other frame', () => {
    for (const url of [
      'app://evil/index.html',
      'app://user@outloud/index.html',
      'file:///opt/Outloud/resources/app.asar/out/renderer/index.html',
      'https://evil.example/',
      'about:blank',
      'data:text/html,hi',
      'devtools://devtools/bundled/inspector.html',
      '',
      null,
      undefined,
      'not a url',
    ]) {
      expect(isTrustedRendererUrl(url, 'http://localhost:5173')).toBe(false);
    }
  });
});

describe('isAllowedExternalUrl (links that may leave the app)', () => {
  it('lets http, https and mailto through', () => {
    expect(isAllowedExternalUrl('https://example.com/a?b=c')).toBe(true);
    expect(isAllowedExternalUrl('http://example.com')).toBe(true);
    expect(isAllowedExternalUrl('mailto:ada@example.com')).toBe(true);
  });

  it('stops everything else', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/x',
      'outloud://entry/abc',
      'data:text/html,<script>alert(1)</script>',
      'https://bank.example@evil.example/',
      'http://',
      '',
      42,
      'https://' + 'a'.repeat(9000) + '.example',
    ]) {
      expect(isAllowedExternalUrl(url)).toBe(false);
    }
  });
});

describe('checkAccelerator', () => {
  it('accepts real shortcuts', () => {
    for (const a of ['CommandOrControl+Shift+Space', 'Alt+Shift+O', 'Super+N', 'Ctrl+Alt+Plus', 'CmdOrCtrl++', 'F9', 'Shift+F12']) {
      expect(checkAccelerator(a)).toEqual({ ok: true, accelerator: a });
    }
  });

  it('refuses nonsense with a readable reason', () => {
    for (const a of ['', '   ', 'A', 'Space', 'Ctrl+', 'Hyper+K', 'Ctrl+Ctrl+K', 'Ctrl+Shift+Banana', 'x'.repeat(101), 42]) {
      const result = checkAccelerator(a);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
    }
  });
});

describe('clipboardUrl (quick capture offers it as a bookmark)', () => {
  it('offers a lone http(s) URL', () => {
    expect(clipboardUrl('  https://example.com/post?id=1\n')).toBe('https://example.com/post?id=1');
  });

  it('offers nothing for text, other schemes or several words', () => {
    for (const text of ['', 'hello', 'see https://example.com', 'mailto:a@b.c', 'javascript:alert(1)', 'file:///etc/passwd', 'https://a.example https://b.example']) {
      expect(clipboardUrl(text)).toBeNull();
    }
  });
});
