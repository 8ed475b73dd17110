/**
 * Secure defaults for every window and session: CSP, no navigation, no new windows, no
 * permissions, no remote requests, and the allowlist for links that leave the app.
 */
import { app, session, shell, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../core/http/static-files.ts';
import { isAllowedExternalUrl, isTrustedRendererUrl } from './trust.ts';

/** The electron-vite dev server, when running `npm run dev` (never in a packaged app). */
export const devServerUrl: string | undefined = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

/**
 * In development Vite needs inline scripts and styles (React refresh preamble, injected CSS) and a
 * WebSocket for hot reload; the built app gets the strict policy, identical to browser mode.
 */
function policy(): string {
  if (!devServerUrl) return CONTENT_SECURITY_POLICY;
  const dev = new URL(devServerUrl);
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", `connect-src 'self' ws://${dev.host}`);
}

/** True when an IPC message comes from the top frame of our own renderer. */
export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isTrustedRendererUrl(frame.url, devServerUrl);
}

/** Opens http, https and mailto links in the user's apps; refuses everything else. */
export async function openExternalSafely(url: unknown): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  await shell.openExternal(url);
  return true;
}

function isDevServerRequest(url: string): boolean {
  if (!devServerUrl) return false;
  try {
    return new URL(url).host === new URL(devServerUrl).host;
  } catch {
    return false;
  }
}

/** Session-wide rules. Call once, after `app` is ready. */
export function hardenSession(): void {
  const ses = session.defaultSession;

  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [policy()];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });

  // Belt and braces under the CSP: no request may leave for a remote host (a note must not be able
  // to ping a tracker). Links open in the user's browser through openExternalSafely, not here.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    callback({ cancel: !isDevServerRequest(details.url) });
  });

  // Every permission is refused, except writing to the clipboard (Copy buttons) from our own page.
  ses.setPermissionRequestHandler((webContents, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write' && isTrustedRendererUrl(webContents.getURL(), devServerUrl));
  });
  ses.setPermissionCheckHandler((webContents, permission) => {
    return permission === 'clipboard-sanitized-write' && !!webContents && isTrustedRendererUrl(webContents.getURL(), devServerUrl);
  });
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}

/** Rules for every web contents the app ever creates. Call once, before any window exists. */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // The app is a single page: every navigation is refused (hash routes are not navigations).
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // New windows are never opened; links with target=_blank go to the user's browser if allowed.
    contents.setWindowOpenHandler(({ url }) => {
      void openExternalSafely(url);
      return { action: 'deny' };
    });
  });
}
