import { describe, expect, it } from 'vitest';
import { mayOpenExternally } from '../../../src-main/electron/external-links';

describe('external links allow-list', () => {
  it('opens only https links to listed hosts', () => {
    expect(mayOpenExternally('https://github.com/wavehouse')).toBe(true);
    for (const url of [
      'http://github.com/', // not https
      'https://github.com.evil.example/', // a look-alike host
      'https://evil.example/?https://github.com',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'not a url',
    ]) expect([url, mayOpenExternally(url)]).toEqual([url, false]);
  });
});
