/** File-system errors in words a user can act on. */

/** True for "the disk (or the user's quota) is full". */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * An Error that says what could not be written, where, and what was kept, keeping the errno code
 * (ENOSPC, …) so callers can still branch on it.
 */
export function writeFailure(err: unknown, what: string, where: string, kept: string): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = isDiskFull(err) ? `the disk holding ${where} is full (${code}: no space left)` : `writing to ${where} failed (${(err as Error)?.message ?? String(err)})`;
  const out = new Error(`cannot ${what}: ${why}; ${kept}`) as NodeJS.ErrnoException;
  if (code) out.code = code;
  return out;
}
