import { describe, expect, it } from 'vitest';
import { normalizeUrl, parseHttpUrl, siteOf } from './url.ts';

describe('normalizeUrl', () => {
  it('treats the same page as one address', () => {
    const forms = [
      'https://example.com/post',
      'http://www.example.com/post/',
      'https://EXAMPLE.com/post?utm_source=newsletter#comments',
      'https://example.com:443/post',
    ];
    expect(new Set(forms.map(normalizeUrl))).toEqual(new Set(['https://example.com/post']));
  });

  it('keeps query parameters that matter, sorted', () => {
    expect(normalizeUrl('https://example.com/s?q=fts5&a=1')).toBe('https://example.com/s?a=1&q=fts5');
  });

  it('refuses anything but http(s)', () => {
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'vbscript:x', '', '   ', 'http://']) {
      expect(normalizeUrl(bad)).toBeNull();
    }
  });

  it('accepts a bare host as https', () => {
    expect(parseHttpUrl('example.org/a')?.href).toBe('https://example.org/a');
    expect(siteOf('https://www.Example.org/a')).toBe('example.org');
  });

  it('reads a bare host with a port as a host, not as a scheme, and still refuses other schemes', () => {
    expect(parseHttpUrl('example.com:8443/c')?.href).toBe('https://example.com:8443/c');
    expect(parseHttpUrl('localhost:3000')?.href).toBe('https://localhost:3000/');
    expect(siteOf('docs.example.com:8443')).toBe('docs.example.com');
    for (const bad of ['javascript:1', 'javascript:alert(1)', 'mailto:a@example.com', 'data:1', 'intent:123']) expect(parseHttpUrl(bad)).toBeNull();
  });

  it('gives a fully qualified host (trailing dot) the same site as without it, as the address key does', () => {
    expect(siteOf('https://example.com./b')).toBe('example.com');
    expect(siteOf('https://www.example.com./b')).toBe('example.com');
    expect(normalizeUrl('https://example.com./b')).toBe(normalizeUrl('https://example.com/b'));
  });
});
