import { useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { openExternal } from '../lib/api.ts';
import { hrefFor } from '../lib/router.ts';
import { personKey, tokenize } from '../lib/text.ts';

interface MarkdownProps {
  source: string;
  /** Person ids by name key, so `@Name` links to the person's page. */
  people?: ReadonlyMap<string, string>;
  /** The entry's tags as the core stored them: only these `#words` become tag links. */
  tags?: readonly string[];
  className?: string;
}

/**
 * Note content, rendered safely (see lib/markdown.ts) and inserted as DOM nodes. #tags and @mentions
 * in the text become in-app links; every other link opens outside the app through openExternal.
 */
export function Markdown({ source, people, tags, className }: MarkdownProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [render, setRender] = useState<Renderer | null>(() => loaded);

  useLayoutEffect(() => {
    if (render) return;
    let live = true;
    void loadRenderer().then((r) => live && setRender(() => r));
    return () => {
      live = false;
    };
  }, [render]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !render) return;
    const fragment = render(source);
    decorate(fragment, people, tags);
    el.replaceChildren(fragment);
  }, [source, people, tags, render]);

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const anchor = (event.target as Element).closest('a');
    if (!anchor || !ref.current?.contains(anchor)) return;
    if (anchor.dataset.internal === 'true') return; // in-app hash link: let it navigate
    event.preventDefault();
    const href = anchor.getAttribute('href');
    if (href) openExternal(href);
  };

  return <div ref={ref} className={className ? `markdown ${className}` : 'markdown'} onClick={onClick} onAuxClick={onClick} data-testid="markdown" />;
}

type Renderer = (source: string) => DocumentFragment;

// The Markdown renderer and sanitiser are loaded on first use, so the timeline starts without them.
let loaded: Renderer | null = null;
let loading: Promise<Renderer> | null = null;

function loadRenderer(): Promise<Renderer> {
  loading ??= import('../lib/markdown.ts').then((m) => (loaded = m.renderMarkdown));
  return loading;
}

const SKIP = new Set(['A', 'CODE', 'PRE']);

/**
 * Wraps #tags and @mentions found in text nodes (outside links and code) in in-app links; with `tags`,
 * only the tags the core stored (Markdown hides what kept a `#word` from being one: `_#word_` shows
 * as an emphasised `#word`, which the core, reading the `_`, did not take as a tag).
 */
function decorate(root: DocumentFragment, people?: ReadonlyMap<string, string>, tags?: readonly string[]): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let p = node.parentNode; p && p !== root; p = p.parentNode) {
        if (SKIP.has(p.nodeName)) return NodeFilter.FILTER_REJECT;
      }
      return /[#@]/.test(node.nodeValue ?? '') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  for (const node of nodes) {
    const tokens = tokenize(node.nodeValue ?? '');
    if (!tokens.some((t) => t.type !== 'text')) continue;
    const parts: Node[] = tokens.map((t) => {
      if (t.type === 'text' || (t.type === 'tag' && tags && !tags.includes(t.tag))) return document.createTextNode(t.text);
      if (t.type === 'tag') return internalLink(t.text, hrefFor({ name: 'timeline', tag: t.tag }), 'md-tag');
      const id = people?.get(personKey(t.name));
      if (id) return internalLink(`@${t.name}`, hrefFor({ name: 'person', id }), 'md-mention');
      const span = document.createElement('span');
      span.className = 'md-mention';
      span.textContent = `@${t.name}`;
      return span;
    });
    node.replaceWith(...parts);
  }
}

function internalLink(text: string, href: string, className: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.className = className;
  a.href = href;
  a.dataset.internal = 'true';
  a.textContent = text;
  return a;
}
