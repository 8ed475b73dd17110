import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, formatDeepLink, parseDeepLink } from './deep-link.ts';

describe('parseDeepLink', () => {
  it('reads outloud://entry/<id>', () => {
    expect(parseDeepLink('outloud://entry/01hzx3k9q2abcdef')).toEqual({ kind: 'entry', id: '01hzx3k9q2abcdef' });
    expect(parseDeepLink('outloud://entry/abc/')).toEqual({ kind: 'entry', id: 'abc' });
    expect(parseDeepLink('OUTLOUD://ENTRY/abc')).toEqual({ kind: 'entry', id: 'abc' });
  });

  it('refuses anything else', () => {
    for (const bad of [
      'outloud://entry/',
      'outloud://entry/a/b',
      'outloud://entry/../../etc',
      'outloud://entry/%2e%2e',
      'outloud://entry/<script>',
      'outloud://settings/x',
      'https://entry/abc',
      'javascript:alert(1)',
      'outloud://entry/' + 'a'.repeat(65),
      '',
      42,
      null,
    ]) {
      expect(parseDeepLink(bad)).toBeNull();
    }
  });

  it('round-trips with formatDeepLink', () => {
    expect(parseDeepLink(formatDeepLink({ kind: 'entry', id: 'x_y-z' }))).toEqual({ kind: 'entry', id: 'x_y-z' });
  });
});

describe('deepLinkFromArgv', () => {
  it('finds the link among the second instance arguments', () => {
    expect(deepLinkFromArgv(['/opt/Outloud/outloud', '--no-sandbox', 'outloud://entry/abc123'])).toEqual({ kind: 'entry', id: 'abc123' });
    expect(deepLinkFromArgv(['/opt/Outloud/outloud', '--data-dir', '/tmp/x'])).toBeNull();
  });
});
