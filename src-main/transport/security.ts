import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token for one start of the loopback server. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time token comparison. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Content-Security-Policy of the studio's pages: only our own scripts (blob: for Tone.js's
 * AudioWorklet modules), no eval, no plugins, no framing; `media` names where audio comes from.
 */
export function contentSecurityPolicy(media: string[] = []): string {
  return [
    `default-src 'self'`,
    `script-src 'self' blob:`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `media-src 'self' blob: ${media.join(' ')}`.trim(),
    `connect-src 'self' ${media.join(' ')}`.trim(),
    `worker-src 'self' blob:`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}
