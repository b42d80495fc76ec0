import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../src-main/electron/senders';

describe('IPC sender check', () => {
  it('trusts only the studio page (and the dev server in development)', () => {
    expect(isTrustedSender('wavehouse://app/index.html')).toBe(true);
    expect(isTrustedSender('wavehouse://media/take/x')).toBe(false);
    expect(isTrustedSender('https://evil.example/')).toBe(false);
    expect(isTrustedSender('file:///etc/passwd')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender('http://localhost:5173.evil.example/', 'http://localhost:5173/')).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', undefined)).toBe(false);
  });
});
