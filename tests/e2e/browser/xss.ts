/**
 * The hostile strings of the brief's XSS.md (copied verbatim to xss-payloads.md beside this file),
 * and an audit of what the page rendered from them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/**
 * Every payload of the fenced block: one per line, except that a blank line joins the lines around
 * it into one payload (`[x][r]` + blank + `[r]: javascript:alert(1)` is one note: a reference link
 * only exists with its definition in the same text).
 */
export function loadPayloads(file = path.join(import.meta.dirname, 'xss-payloads.md')): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const block = /^```[^\n]*\n([\s\S]*?)\n```/m.exec(text)?.[1];
  if (!block) throw new Error(`No fenced block of payloads in ${file}`);
  const payloads: string[] = [];
  let joinNext = false;
  for (const line of block.split('\n')) {
    if (line.trim() === '') {
      joinNext = payloads.length > 0;
      continue;
    }
    if (joinNext) payloads[payloads.length - 1] += `\n\n${line}`;
    else payloads.push(line);
    joinNext = false;
  }
  return payloads;
}

/**
 * Text that must be visible once a payload is rendered as a note, so that a blank page (or a
 * payload swallowed whole) fails: the link or image text for Markdown links, the source itself
 * (from `<` and its tag name) for raw HTML, which must show as text, and the start of anything else.
 */
export function visibleTextOf(payload: string): string {
  const link = /^!?\[([^\]]+)\]/.exec(payload);
  if (link) return link[1]!;
  const tag = /^<([A-Za-z]+)/.exec(payload);
  if (tag) return `<${tag[1]}`;
  return payload.slice(0, 11);
}

/** The tags the sanitiser may let through in rendered Markdown (lib/markdown.ts), and no more. */
const MARKDOWN_TAGS = new Set([
  'A', 'P', 'BR', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'STRONG', 'EM', 'S', 'DEL', 'CODE', 'PRE',
  'BLOCKQUOTE', 'UL', 'OL', 'LI', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'SPAN',
]);
const MARKDOWN_ATTRIBUTES = new Set(['href', 'title', 'start', 'class', 'rel', 'data-internal']);

export interface AuditOptions {
  /** Containers of rendered Markdown: only the sanitiser's tags and attributes may appear inside. */
  markdown?: string[];
  /** Containers of app markup showing note data as text (timeline rows, search results, cards…). */
  views?: string[];
}

/**
 * Runs in the page (no DOM types in this project, hence the structural types). Returns one line per
 * thing a note could have smuggled in: an event handler attribute, a script-capable URL, an element
 * that can run or load something, an id/name that shadows a global; and, for rendered Markdown,
 * anything outside the sanitiser's allowlist.
 */
function auditInPage(args: { markdown: string[]; views: string[]; markdownTags: string[]; markdownAttributes: string[] }): { problems: string[]; scanned: number } {
  interface Attr {
    name: string;
    value: string;
  }
  interface El {
    tagName: string;
    attributes: ArrayLike<Attr>;
    children: ArrayLike<El>;
    parentElement: El | null;
    getAttribute(name: string): string | null;
    querySelectorAll(selector: string): ArrayLike<El>;
  }
  interface Doc {
    querySelectorAll(selector: string): ArrayLike<El>;
    getElementById(id: string): El | null;
    getElementsByName(name: string): ArrayLike<El>;
  }
  const g = globalThis as unknown as { document: Doc & Record<string, unknown>; Element: abstract new () => unknown } & Record<string, unknown>;
  const doc = g.document;
  const problems: string[] = [];
  let scanned = 0;

  const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'ping', 'srcset', 'codebase', 'cite', 'dynsrc', 'lowsrc', 'manifest']);
  // Elements that run script, load something, submit, or restyle the page.
  const FORBIDDEN = new Set([
    'SCRIPT', 'IFRAME', 'FRAME', 'FRAMESET', 'OBJECT', 'EMBED', 'APPLET', 'IMG', 'IMAGE', 'PICTURE', 'VIDEO', 'AUDIO', 'SOURCE', 'TRACK',
    'FORM', 'INPUT', 'TEXTAREA', 'SELECT', 'META', 'BASE', 'LINK', 'STYLE', 'MATH', 'DETAILS', 'BODY', 'HTML', 'HEAD', 'TEMPLATE',
    'NOSCRIPT', 'XMP', 'PORTAL', 'FENCEDFRAME', 'MARQUEE', 'ISINDEX',
  ]);
  const markdownTags = new Set(args.markdownTags);
  const markdownAttributes = new Set(args.markdownAttributes);
  const identifier = /^[A-Za-z_$][\w$]*$/;
  const dangerousUrl = (value: string) => {
    // What a browser would make of it: entities are already decoded in the DOM; blanks and controls are dropped.
    const v = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
    return /^(javascript|vbscript|data|file|livescript|mocha):/.test(v);
  };
  const describe = (el: El) => `<${el.tagName.toLowerCase()}${Array.from(el.attributes).map((a) => ` ${a.name}="${a.value.slice(0, 60)}"`).join('')}>`;
  const isAppIcon = (el: El) =>
    el.tagName.toLowerCase() === 'svg' &&
    el.getAttribute('class')?.split(/\s+/).includes('icon') === true &&
    el.getAttribute('aria-hidden') === 'true' &&
    Array.from(el.children).every((c) => c.tagName.toLowerCase() === 'path' && c.attributes.length === 1);

  const check = (el: El, scope: string, markdown: boolean) => {
    scanned += 1;
    const tag = el.tagName.toUpperCase();
    if (FORBIDDEN.has(tag)) problems.push(`${scope}: forbidden element ${describe(el)}`);
    if (markdown && !markdownTags.has(tag)) problems.push(`${scope}: element outside the Markdown allowlist ${describe(el)}`);
    if (!markdown && tag === 'SVG' && !isAppIcon(el)) problems.push(`${scope}: svg that is not an app icon ${describe(el)}`);
    for (const { name, value } of Array.from(el.attributes)) {
      const n = name.toLowerCase();
      if (n.startsWith('on')) problems.push(`${scope}: event handler ${describe(el)}`);
      if (URL_ATTRIBUTES.has(n) && dangerousUrl(value)) problems.push(`${scope}: dangerous URL in ${n} ${describe(el)}`);
      if (n === 'srcdoc') problems.push(`${scope}: srcdoc ${describe(el)}`);
      if (n === 'id' || n === 'name') {
        // In rendered Markdown no element may be named at all; elsewhere the app's own ids are React's (not identifiers).
        if (markdown || identifier.test(value)) problems.push(`${scope}: ${n}="${value}" could shadow a global ${describe(el)}`);
      }
      if (markdown && !markdownAttributes.has(n)) problems.push(`${scope}: attribute outside the Markdown allowlist ${describe(el)}`);
      if (markdown && n === 'href' && !/^(https?:|mailto:|#\/)/i.test(value)) problems.push(`${scope}: link that is neither web, mail nor in-app ${describe(el)}`);
      if (markdown && n === 'target') problems.push(`${scope}: link target ${describe(el)}`);
    }
  };

  for (const [selectors, markdown] of [
    [args.markdown, true],
    [args.views, false],
  ] as const) {
    for (const selector of selectors) {
      for (const root of Array.from(doc.querySelectorAll(selector))) {
        for (const el of Array.from(root.querySelectorAll('*'))) check(el, selector, markdown);
      }
    }
  }

  // Named elements a note might plant to clobber what the app's scripts look up.
  for (const name of ['api', 'send', 'outloud', 'outloudShell', 'x', 'r', 't']) {
    for (const [where, value] of [
      ['window', g[name]],
      ['document', doc[name]],
    ] as const) {
      if (value instanceof g.Element) problems.push(`${where}.${name} is an element`);
      if (value && typeof value === 'object' && 'length' in value && 'item' in value) problems.push(`${where}.${name} is a collection of elements`);
    }
  }
  if (doc.getElementById('api')) problems.push('an element with id "api" exists');
  if (doc.getElementsByName('send').length > 0) problems.push('an element named "send" exists');
  return { problems, scanned };
}

/** What the audit finds, without failing (for tests of the audit itself). */
export function audit(page: Page, options: AuditOptions): Promise<{ problems: string[]; scanned: number }> {
  return page.evaluate(auditInPage, {
    markdown: options.markdown ?? [],
    views: options.views ?? [],
    markdownTags: [...MARKDOWN_TAGS],
    markdownAttributes: [...MARKDOWN_ATTRIBUTES],
  });
}

/**
 * Audits the rendered page and fails on any problem. Also fails when nothing was scanned, so a
 * selector that no longer matches (or a view that rendered nothing) cannot pass silently.
 */
export async function expectHarmless(page: Page, options: AuditOptions, label = ''): Promise<void> {
  const { problems, scanned } = await audit(page, options);
  expect(problems, `harmless rendering ${label}`).toEqual([]);
  expect(scanned, `the audit found rendered content to check ${label}`).toBeGreaterThan(0);
}
