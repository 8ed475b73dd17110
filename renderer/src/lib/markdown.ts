/**
 * Safe Markdown: markdown-it with raw HTML off and a link allowlist, then DOMPurify with a tag and
 * attribute allowlist, returned as a DOM fragment (never re-parsed from a string). Images never load:
 * they become a text placeholder that links to the picture.
 */
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';
import { externalUrl } from './api.ts';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

// Only http, https and mailto become links; anything else stays text.
md.validateLink = (url: string) => externalUrl(url) !== null;

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (!token) return '';
  const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
  const label = md.utils.escapeHtml(`Image${alt ? `: ${alt}` : ''}`);
  const src = externalUrl(String(token.attrGet('src') ?? ''));
  return src ? `<a class="md-image" href="${md.utils.escapeHtml(src)}">${label}</a>` : `<span class="md-image">${label}</span>`;
};

const ALLOWED_TAGS = [
  'a', 'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'del', 'code', 'pre',
  'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];
const ALLOWED_CLASSES = new Set(['md-image']);

const purify = DOMPurify(window);
purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') data.keepAttr = data.attrValue.split(/\s+/).every((c) => ALLOWED_CLASSES.has(c));
});
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = node.getAttribute('href');
  const safe = href ? externalUrl(href) : null;
  if (safe) node.setAttribute('href', safe);
  else node.removeAttribute('href');
  node.setAttribute('rel', 'noopener noreferrer');
  node.removeAttribute('target');
});

const CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR: ['href', 'title', 'start', 'class'],
  FORBID_ATTR: ['id', 'name', 'style', 'src', 'srcset', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  RETURN_DOM_FRAGMENT: true as const,
};

export function renderMarkdown(source: string): DocumentFragment {
  const html = md.render(source);
  return purify.sanitize(html, CONFIG);
}

/** For tests and diagnostics: the sanitised HTML as a string. */
export function renderMarkdownToHtml(source: string): string {
  const container = document.createElement('div');
  container.append(renderMarkdown(source));
  return container.innerHTML;
}
