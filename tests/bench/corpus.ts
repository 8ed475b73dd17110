/**
 * The benchmark's corpus: N journal entries built deterministically from real text, the paragraphs
 * and headings of the README.md files under node_modules/ (read in sorted path order), plus a fixed
 * vocabulary of #tags, a fixed list of people mentioned with @, bookmarks of the URLs those READMEs
 * link to, and questions. The same seed and the same node_modules give the same corpus; the
 * fingerprint in the results says which text was used.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { normalizeUrl } from '../../shared/domain/url.ts';

// ---- deterministic randomness ---------------------------------------------------------------------

/** mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

/** Index into a list with a Zipf-like skew: low indexes are chosen far more often (like real tags). */
export const pickSkewed = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(Math.pow(rng(), 2.2) * items.length)] as T;

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---- fixed vocabularies ---------------------------------------------------------------------------

/** Tags a developer's journal would carry, most common first (picked with a skew). */
export const TAG_VOCABULARY = [
  'til', 'idea', 'meeting', 'bug', 'docs', 'performance', 'testing', 'release', 'design', 'security',
  'typescript', 'node', 'react', 'sqlite', 'build', 'ci', 'refactor', 'api', 'cli', 'search',
  'reading', 'howto', 'research', 'decision', 'retro', 'incident', 'onboarding', 'ux', 'accessibility',
  'infra', 'deps', 'review', 'pairing', 'mentoring', 'learning', 'architecture', 'data', 'privacy',
  'tooling', 'observability',
] as const;

export interface BenchPerson {
  name: string;
  /** The handle used in `@handle` mentions; also an alias of the person entry. */
  handle: string;
  role: string;
  organisation: string;
  topics: string[];
}

const PEOPLE_SOURCE: Array<[string, string, string, string[]]> = [
  ['Ada Okafor', 'Staff engineer', 'Platform', ['sqlite', 'performance', 'storage']],
  ['Bruno Silva', 'Frontend lead', 'Web', ['react', 'accessibility', 'css']],
  ['Chen Wei', 'SRE', 'Infrastructure', ['observability', 'incident', 'kubernetes']],
  ['Dana Kowalski', 'Product designer', 'Design', ['ux', 'design systems', 'research']],
  ['Emeka Nwosu', 'Security engineer', 'Security', ['security', 'privacy', 'threat modelling']],
  ['Farah Haddad', 'Engineering manager', 'Platform', ['mentoring', 'hiring', 'planning']],
  ['Gustavo Reyes', 'Backend engineer', 'Payments', ['api', 'postgres', 'queues']],
  ['Hana Sato', 'Developer advocate', 'Community', ['docs', 'onboarding', 'talks']],
  ['Ivan Petrov', 'Build engineer', 'Developer tools', ['build', 'ci', 'bundlers']],
  ['Julia Novak', 'Data scientist', 'Analytics', ['data', 'statistics', 'python']],
  ['Kwame Mensah', 'Mobile engineer', 'Apps', ['react native', 'performance', 'testing']],
  ['Laila Rahimi', 'QA lead', 'Quality', ['testing', 'automation', 'playwright']],
  ['Mateo Rossi', 'TypeScript consultant', 'Freelance', ['typescript', 'types', 'compilers']],
  ['Nora Lindqvist', 'Architect', 'Platform', ['architecture', 'decision records', 'migration']],
  ['Omar Farouk', 'Release manager', 'Developer tools', ['release', 'versioning', 'changelog']],
  ['Priya Raman', 'Search engineer', 'Search', ['search', 'ranking', 'full-text']],
  ['Quentin Moreau', 'CLI maintainer', 'Open source', ['cli', 'tooling', 'shell']],
  ['Rosa Jimenez', 'Accessibility specialist', 'Design', ['accessibility', 'screen readers', 'aria']],
  ['Sven Olsen', 'Database administrator', 'Infrastructure', ['sqlite', 'backup', 'replication']],
  ['Tariq Aziz', 'Node core contributor', 'Open source', ['node', 'streams', 'workers']],
  ['Uma Krishnan', 'Tech lead', 'Growth', ['experimentation', 'metrics', 'api']],
  ['Viktor Horvath', 'Performance engineer', 'Web', ['performance', 'profiling', 'rendering']],
  ['Wen Liu', 'Compiler engineer', 'Developer tools', ['parsers', 'compilers', 'typescript']],
  ['Xavier Dubois', 'Support engineer', 'Customer success', ['onboarding', 'docs', 'triage']],
  ['Yara Costa', 'Privacy counsel', 'Legal', ['privacy', 'gdpr', 'retention']],
  ['Zeynep Demir', 'ML engineer', 'Research', ['research', 'embeddings', 'data']],
  ['Amara Diallo', 'Infrastructure engineer', 'Infrastructure', ['infra', 'terraform', 'networking']],
  ['Bjorn Eriksson', 'Staff engineer', 'Payments', ['refactor', 'legacy code', 'testing']],
  ['Camila Torres', 'Product manager', 'Growth', ['planning', 'roadmaps', 'research']],
  ['Dmitri Volkov', 'Security researcher', 'Security', ['security', 'fuzzing', 'sandboxing']],
  ['Elif Yilmaz', 'Frontend engineer', 'Web', ['react', 'state management', 'forms']],
  ['Felix Wagner', 'DevOps engineer', 'Infrastructure', ['ci', 'containers', 'deploys']],
  ['Grace Mwangi', 'Engineering director', 'Leadership', ['hiring', 'strategy', 'mentoring']],
  ['Hugo Lefebvre', 'Technical writer', 'Community', ['docs', 'style guides', 'tutorials']],
  ['Ines Carvalho', 'Backend engineer', 'Search', ['search', 'indexing', 'sqlite']],
  ['Jonas Becker', 'Electron developer', 'Desktop', ['electron', 'packaging', 'auto update']],
  ['Keiko Tanaka', 'Design engineer', 'Design', ['design', 'animation', 'css']],
  ['Lucas Martin', 'Open source maintainer', 'Open source', ['deps', 'semver', 'security']],
  ['Maya Cohen', 'Data engineer', 'Analytics', ['data', 'pipelines', 'etl']],
  ['Nikhil Verma', 'Platform engineer', 'Platform', ['api', 'rate limiting', 'caching']],
  ['Olivia Brown', 'Staff designer', 'Design', ['ux', 'research', 'prototyping']],
  ['Pablo Navarro', 'Game developer', 'Side projects', ['rendering', 'webgl', 'performance']],
  ['Rania Khalil', 'Reliability engineer', 'Infrastructure', ['incident', 'retro', 'observability']],
  ['Samuel Okoye', 'Junior developer', 'Web', ['learning', 'react', 'testing']],
  ['Tomas Novotny', 'Embedded engineer', 'Hardware', ['c', 'firmware', 'performance']],
  ['Valentina Greco', 'Localisation lead', 'Web', ['i18n', 'unicode', 'docs']],
  ['William Clarke', 'Principal engineer', 'Platform', ['architecture', 'review', 'decision']],
  ['Yusuf Ibrahim', 'Mobile lead', 'Apps', ['mobile', 'offline', 'sync']],
];

export const PEOPLE: BenchPerson[] = PEOPLE_SOURCE.map(([name, role, organisation, topics]) => ({
  name,
  handle: name.split(' ')[0]!.toLowerCase(),
  role,
  organisation,
  topics,
}));

const QUESTION_TEMPLATES = [
  (h: string) => `How does ${h} work?`,
  (h: string) => `What is the best way to handle ${h}?`,
  (h: string) => `Has anyone used ${h} in production?`,
  (h: string) => `Why would we need ${h}?`,
  (h: string) => `Where is ${h} documented?`,
  (h: string) => `Should we switch to ${h}?`,
];

const MENTION_TEMPLATES = [
  (m: string) => `Talked this through with ${m}.`,
  (m: string) => `${m} pointed me to this.`,
  (m: string) => `Ask ${m} about it.`,
  (m: string) => `cc ${m}`,
  (m: string) => `From a chat with ${m}:`,
];

// ---- README text ----------------------------------------------------------------------------------

export interface TextPool {
  /** Clean prose paragraphs, de-duplicated, in file order. */
  paragraphs: string[];
  /** Clean headings, de-duplicated case-insensitively, in file order. */
  headings: string[];
  /** http(s) URLs linked from the READMEs, de-duplicated, in file order. */
  urls: string[];
  files: number;
  bytes: number;
  /** sha256 over the files' paths and contents: identifies the text this corpus was built from. */
  fingerprint: string;
}

/** Every README.md under `root` (case-insensitive name), as sorted relative paths (byte order). */
export function findReadmes(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else if (d.isFile() && d.name.toLowerCase() === 'readme.md') out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Badges and images are not pages anyone bookmarks. */
function isImageUrl(url: string): boolean {
  return /\.(svg|png|jpe?g|gif|webp)([?#]|$)|^https?:\/\/(img\.shields\.io|badgen\.net|badge\.fury\.io|nodei\.co|[^/]*badge)/i.test(url);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', copy: '©' };

/** Markdown inline markup to plain text; URLs found on the way are pushed to `urls`. */
export function stripInline(text: string, urls: string[] = []): string {
  const keepUrl = (u: string) => {
    const url = u.trim().replace(/^<|>$/g, '').split(/\s+/)[0] ?? '';
    if (/^https?:\/\/[^\s/]+\.[^\s/]+/i.test(url) && url.length <= 300 && !isImageUrl(url)) urls.push(url);
  };
  return text
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]/gi, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ') // images and badges
    .replace(/!\[[^\]]*\]\[[^\]]*\]/g, ' ')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_m, label: string, url: string) => {
      keepUrl(url);
      return label;
    })
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, (_m, url: string) => {
      keepUrl(url);
      return url;
    })
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ') // HTML tags
    .replace(/&(#\d+|[a-z]+);/gi, (m, name: string) => {
      if (name.startsWith('#')) {
        const code = Number(name.slice(1));
        return code >= 32 && code < 0xffff ? String.fromCharCode(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? m;
    })
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|~~)(?=\S)([^]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]*?\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    // Stray `@scope` and `#123` would read as mentions and tags: the corpus's own come from fixed lists.
    .replace(/@(?=[\p{L}\p{N}_[])/gu, '')
    .replace(/#(?=[\p{L}\p{N}_])/gu, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
}

const HEADING_RE = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

function isProse(p: string): boolean {
  if (p.length < 80 || p.length > 1500) return false;
  const words = p.split(/\s+/).filter((w) => /^[\p{L}][\p{L}'’.,;:!?()-]*$/u.test(w));
  if (words.length < 10) return false;
  const letters = (p.match(/\p{L}/gu) ?? []).length;
  if (letters / p.length < 0.7) return false;
  // Code that escaped a fence: braces, arrows, assignments, statement ends.
  if (/[{};]\s*$|=>|\bfunction\s*\(|\bconst\s+\w+\s*=|\$ (npm|yarn|pnpm)\b/.test(p)) return false;
  return true;
}

function cleanHeading(h: string): string | null {
  const text = stripInline(h).replace(/[:.]+$/, '').trim();
  if (text.length < 4 || text.length > 80) return null;
  if (!/^[\p{L}\p{N}][\p{L}\p{N} '’&,.:!?()/+-]*$/u.test(text)) return null; // API signatures, emoji, symbols
  if ((text.match(/\p{L}/gu) ?? []).length < 4) return null;
  return text;
}

/** Paragraphs, headings and URLs of one README's Markdown. */
export function extractMarkdown(markdown: string): { paragraphs: string[]; headings: string[]; urls: string[] } {
  const paragraphs: string[] = [];
  const headings: string[] = [];
  const urls: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').replace(/<!--[\s\S]*?-->/g, '\n').split('\n');
  let block: string[] = [];
  let fence: string | null = null;
  let inHtml = false;
  const flush = () => {
    if (block.length === 0) return;
    const raw = block;
    block = [];
    // Tables, indented code and front matter are not prose.
    if (raw.some((l) => /^\s*\|/.test(l) || /\|\s*-{3,}/.test(l))) return;
    if (raw.every((l) => /^( {4}|\t)/.test(l))) return;
    const joined = raw
      .map((l) => l.replace(/^\s*>\s?/, '').replace(/^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?/, ''))
      .join(' ');
    const text = stripInline(joined, urls);
    if (isProse(text)) paragraphs.push(text);
  };
  for (const line of lines) {
    const fenceMatch = /^\s*(```+|~~~+)/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (fenceMatch) {
      flush();
      fence = fenceMatch[1]!;
      continue;
    }
    // Raw HTML blocks (tables of sponsors, centred logos): skipped whole, but their links are kept.
    if (inHtml || /^\s*<(div|table|p|details|picture|h\d|a|img|br|center|ul|ol)\b/i.test(line)) {
      for (const m of line.matchAll(/href="(https?:\/\/[^"]+)"/g)) if (!isImageUrl(m[1]!)) urls.push(m[1]!);
      inHtml = !/<\/(div|table|p|details|picture|center|ul|ol)>\s*$/i.test(line) && !/^\s*<(a|img|br|h\d)\b.*>\s*$/i.test(line);
      if (line.trim() === '') inHtml = false;
      flush();
      continue;
    }
    const heading = HEADING_RE.exec(line);
    if (heading) {
      flush();
      const h = cleanHeading(heading[2] ?? '');
      if (h) headings.push(h);
      continue;
    }
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s.*)?$/.exec(line);
    if (def) {
      if (/^https?:\/\//i.test(def[1]!) && !isImageUrl(def[1]!)) urls.push(def[1]!);
      continue;
    }
    if (/^\s*(-{3,}|\*{3,}|_{3,}|={3,})\s*$/.test(line)) {
      // A setext underline turns the block above into a heading.
      if (/^\s*=+|^\s*-+$/.test(line) && block.length === 1) {
        const h = cleanHeading(block[0]!);
        block = [];
        if (h) headings.push(h);
      } else flush();
      continue;
    }
    if (line.trim() === '') flush();
    else block.push(line);
  }
  flush();
  return { paragraphs, headings, urls };
}

/** Reads every README under `nodeModules` in sorted order and pools their clean text. */
export function loadTextPool(nodeModules: string): TextPool {
  const files = findReadmes(nodeModules);
  const hash = createHash('sha256');
  const paragraphs: string[] = [];
  const headings: string[] = [];
  const urls: string[] = [];
  const seenP = new Set<string>();
  const seenH = new Set<string>();
  const seenU = new Set<string>();
  /** Adds `value` to `list` the first time `key` is seen. */
  const addOnce = (seen: Set<string>, key: string, list: string[], value: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    list.push(value);
  };
  let bytes = 0;
  for (const rel of files) {
    const text = fs.readFileSync(path.join(nodeModules, rel), 'utf8');
    bytes += Buffer.byteLength(text);
    hash.update(rel).update('\0').update(text).update('\0');
    const x = extractMarkdown(text);
    for (const p of x.paragraphs) addOnce(seenP, p, paragraphs, p);
    for (const h of x.headings) addOnce(seenH, h.toLowerCase(), headings, h);
    for (const u of x.urls) {
      // The app's own de-duplication key, so each corpus bookmark is a distinct bookmark.
      const url = u.replace(/[.,;:]+$/, '');
      const k = normalizeUrl(url);
      if (k) addOnce(seenU, k, urls, url);
    }
  }
  return { paragraphs, headings, urls, files: files.length, bytes, fingerprint: hash.digest('hex').slice(0, 16) };
}

/** The pool as a file, so each benchmark process reads it instead of re-parsing every README. */
export function writeTextPool(file: string, pool: TextPool): void {
  fs.writeFileSync(file, JSON.stringify(pool));
}

export function readTextPool(file: string): TextPool {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TextPool;
}

// ---- entries ----------------------------------------------------------------------------------------

/** What the corpus hands to `entries.create` (the contract's input shape). */
export interface CorpusEntry {
  kind: 'note' | 'bookmark' | 'person' | 'question';
  title?: string;
  body: string;
  tags?: string[];
  source: string;
  sourceRef: string;
  createdAt: number;
  bookmark?: { url: string; excerpt?: string };
  person?: { name: string; aliases: string[]; role: string; organisation: string; topics: string[] };
  question?: { status: 'open' | 'answered' | 'closed'; askedBy?: string; answer?: string };
}

export const CORPUS_START = Date.UTC(2020, 0, 1);
export const CORPUS_SPAN_MS = 6 * 365 * 24 * 3600 * 1000;

export interface CorpusOptions {
  n: number;
  seed?: number;
}

/**
 * The i-th..n-th entries, generated lazily so a million entries never sit in memory at once.
 * Entry i depends only on (seed, i, pool): chunks can be generated independently and in any order.
 */
export class Corpus {
  readonly n: number;
  readonly seed: number;
  readonly pool: TextPool;
  /** URLs in the order bookmarks take them; once used up, entries that would be bookmarks cite a URL in a note. */
  private readonly urlOrder: string[];

  constructor(pool: TextPool, options: CorpusOptions) {
    this.pool = pool;
    this.n = options.n;
    this.seed = options.seed ?? 20_240_501;
    this.urlOrder = shuffled(mulberry32(this.seed ^ 0x5eed), pool.urls);
    if (pool.paragraphs.length < 100 || pool.headings.length < 100) {
      throw new Error(`Too little README text under node_modules (${pool.paragraphs.length} paragraphs, ${pool.headings.length} headings)`);
    }
  }

  createdAt(i: number, rng: Rng): number {
    const t = CORPUS_START + Math.floor((i / Math.max(1, this.n)) * CORPUS_SPAN_MS);
    return t + Math.floor(rng() * 6 * 3600 * 1000);
  }

  /** The bookmark URL for entry i, or null when i is not a bookmark. Bookmarks are every 12th entry (offset 5). */
  bookmarkUrl(i: number): string | null {
    if (i < PEOPLE.length || i % 12 !== 5) return null;
    const k = Math.floor(i / 12);
    return k < this.urlOrder.length ? this.urlOrder[k]! : null;
  }

  entry(i: number): CorpusEntry {
    const rng = mulberry32((this.seed + Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    const { paragraphs, headings } = this.pool;
    const source = 'import:bench';
    const sourceRef = `bench-${i}`;
    const createdAt = this.createdAt(i, rng);

    // People come first, so that later mentions resolve to them rather than creating new person entries.
    if (i < PEOPLE.length) {
      const p = PEOPLE[i]!;
      return {
        kind: 'person',
        body: pick(rng, paragraphs),
        source,
        sourceRef,
        createdAt,
        person: { name: p.name, aliases: [p.handle], role: p.role, organisation: p.organisation, topics: p.topics },
      };
    }

    const paragraph = () => pick(rng, paragraphs);
    const r = rng();
    const nParas = r < 0.5 ? 1 : r < 0.85 ? 2 : 3;
    const parts: string[] = [];
    for (let k = 0; k < nParas; k++) parts.push(paragraph());

    // Mentions: ~15% of entries, as `@[Full Name]` or `@handle`.
    if (rng() < 0.15) {
      const person = pickSkewed(rng, PEOPLE);
      const mention = rng() < 0.5 ? `@[${person.name}]` : `@${person.handle}`;
      const line = pick(rng, MENTION_TEMPLATES)(mention);
      if (rng() < 0.5) parts.unshift(line);
      else parts.push(line);
    }
    // Tags: 0-3 from the fixed vocabulary, written inline at the end as people do.
    const tr = rng();
    const nTags = tr < 0.3 ? 0 : tr < 0.65 ? 1 : tr < 0.9 ? 2 : 3;
    const tags = new Set<string>();
    for (let k = 0; k < nTags; k++) tags.add(pickSkewed(rng, TAG_VOCABULARY));
    if (tags.size > 0) parts.push([...tags].map((t) => `#${t}`).join(' '));

    const url = this.bookmarkUrl(i);
    if (url) {
      const excerpt = rng() < 0.6 ? paragraph().slice(0, 300) : undefined;
      return {
        kind: 'bookmark',
        title: rng() < 0.7 ? pick(rng, headings) : undefined,
        body: rng() < 0.6 ? parts.join('\n\n') : [...tags].map((t) => `#${t}`).join(' '),
        source,
        sourceRef,
        createdAt,
        bookmark: excerpt ? { url, excerpt } : { url },
      };
    }
    if (i % 12 === 5) {
      // Past the end of the URL list: the link goes into a note, as when someone pastes it.
      const k = Math.floor(i / 12) % Math.max(1, this.urlOrder.length);
      if (this.urlOrder.length > 0) parts.splice(1, 0, `See ${this.urlOrder[k]}`);
    }

    if (i % 16 === 9) {
      const heading = pick(rng, headings);
      const status = rng();
      const asker = rng() < 0.4 ? pick(rng, PEOPLE).name : undefined;
      return {
        kind: 'question',
        body: [pick(rng, QUESTION_TEMPLATES)(heading), ...parts].join('\n\n'),
        source,
        sourceRef,
        createdAt,
        question:
          status < 0.5
            ? { status: 'open', askedBy: asker }
            : status < 0.85
              ? { status: 'answered', askedBy: asker, answer: paragraph() }
              : { status: 'closed', askedBy: asker, answer: paragraph() },
      };
    }

    const withHeading = rng() < 0.4;
    return {
      kind: 'note',
      title: withHeading ? pick(rng, headings) : undefined,
      body: parts.join('\n\n'),
      source,
      sourceRef,
      createdAt,
    };
  }

  *entries(from = 0, to = this.n): Generator<CorpusEntry> {
    for (let i = from; i < to; i++) yield this.entry(i);
  }
}

// ---- text as the index sees it ------------------------------------------------------------------

const STOPWORDS = new Set(
  ('the and for are but not you all any can her was one our out has have had his how its may new now old see two who ' +
    'did get let say she too use way with this that from they will your what when which their there would about been ' +
    'into more some than them then these also only other such just like make many most over very well were where each ' +
    'does should could while after before using used uses must here both same being because through between without ' +
    'within those able either however whether instead')
    .split(' '),
);

/** Lower-cased words of 3+ letters, digits excluded, as a rough stand-in for the FTS5 tokenizer. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}][\p{L}\p{N}]*/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w));
}

/** The searchable text of an entry as plain (title, body), for the bare-FTS5 baseline. */
export function searchableText(e: CorpusEntry): { title: string; body: string } {
  const extra: string[] = [];
  if (e.bookmark) extra.push(e.bookmark.url, e.bookmark.excerpt ?? '');
  if (e.person) extra.push(e.person.name, ...e.person.aliases, e.person.role, e.person.organisation, ...e.person.topics);
  if (e.question) extra.push(e.question.askedBy ?? '', e.question.answer ?? '');
  const title = e.title ?? e.person?.name ?? '';
  return { title, body: [e.body, ...extra].filter(Boolean).join('\n') };
}
