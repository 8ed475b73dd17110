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
});
