import { constants as bufferConstants } from 'node:buffer';
import { open, opendir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { decodeAudio, probeAudio } from './decode';
import { sniffContainer } from './sniff';
import { AudioDecodeError, NeedMoreBytes, type AudioDecodeErrorCode, type AudioInfo, type DecodedAudio } from './types';

/** A file-level failure: a decode error code or a read problem, always with a specific reason. */
export interface ProbeError {
  code: AudioDecodeErrorCode;
  reason: string;
}

export type ProbeResult = { ok: true; info: AudioInfo; audio?: DecodedAudio } | { ok: false; error: ProbeError };

export interface ProbeFileOptions {
  /** Decode the samples too (reads the whole file); otherwise only headers are read. */
  decode?: boolean;
  /** Refuse files larger than this. Default 2 GiB (and never more than a Buffer can hold). */
  maxBytes?: number;
  /** Treat truncated audio as an error instead of decoding what is present. */
  strict?: boolean;
}

const HEAD_BYTES = 256 * 1024;
const OGG_TAIL_BYTES = 64 * 1024;
const DEFAULT_MAX = 2 * 1024 ** 3;

/** Turns a Node fs error into a specific, user-readable reason. */
function fsReason(e: unknown, what: string): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return `${what} does not exist (moved or deleted?)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading ${what}`;
    case 'EISDIR':
      return `${what} is a folder, not a file`;
    case 'ELOOP':
      return `${what} is a symbolic link loop`;
    case 'EIO':
      return `I/O error reading ${what} (failing disk or dropped network share?)`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files while reading ${what}`;
    default:
      return `cannot read ${what}: ${code ?? ''} ${(e as Error)?.message ?? String(e)}`.replace(/\s+/g, ' ');
  }
}

/** Reads a file's format (and optionally its samples); never throws, every failure comes back as { ok: false }. */
export async function probeAudioFile(path: string, opts: ProbeFileOptions = {}): Promise<ProbeResult> {
  const fail = (code: AudioDecodeErrorCode, reason: string): ProbeResult => ({ ok: false, error: { code, reason } });
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    return fail('read-failed', fsReason(e, 'the file'));
  }
  // Opening a FIFO would block until a writer appears; devices and sockets are not audio files either.
  if (st.isDirectory()) return fail('read-failed', 'the path is a folder, not a file');
  if (!st.isFile()) return fail('read-failed', 'not a regular file (FIFO, socket or device)');
  if (st.size === 0) return fail('empty', 'the file is empty (0 bytes)');
  const max = Math.min(opts.maxBytes ?? DEFAULT_MAX, bufferConstants.MAX_LENGTH);
  if (opts.decode && st.size > max) return fail('too-large', `the file is ${st.size} bytes, over the ${max}-byte limit for decoding`);

  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return fail('read-failed', fsReason(e, 'the file'));
  }
  try {
    const size = st.size;
    const readAt = async (pos: number, len: number): Promise<Uint8Array> => {
      const buf = new Uint8Array(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, got, len - got, pos + got);
        if (bytesRead === 0) break; // the file shrank under us: work with what is there
        got += bytesRead;
      }
      return got === len ? buf : buf.subarray(0, got);
    };
    if (opts.decode) {
      const bytes = await readAt(0, size);
      const audio = await decodeAudio(bytes, { strict: opts.strict });
      const { data: _data, truncated: _t, ...info } = audio;
      return { ok: true, info, audio };
    }
    let head = await readAt(0, Math.min(size, HEAD_BYTES));
    for (;;) {
      try {
        let bytes = head;
        if (sniffContainer(head) === 'ogg' && size > head.length) {
          const tailAt = Math.max(head.length, size - OGG_TAIL_BYTES);
          const tail = await readAt(tailAt, size - tailAt);
          bytes = new Uint8Array(head.length + tail.length);
          bytes.set(head);
          bytes.set(tail, head.length);
        }
        return { ok: true, info: probeAudio(bytes, size) };
      } catch (e) {
        // Headers beyond the first read (e.g. fmt after a large chunk): read more, at least doubling, bounded by the size.
        if (!(e instanceof NeedMoreBytes) || head.length >= size) throw e;
        const want = Math.min(size, Math.max(e.needed, head.length * 4));
        if (want > max) return fail('too-large', `headers extend past ${max} bytes`);
        head = await readAt(0, want);
      }
    }
  } catch (e) {
    if (e instanceof AudioDecodeError) return fail(e.code, e.reason);
    if (e instanceof NeedMoreBytes) return fail('truncated', 'the file ends inside its headers');
    if ((e as NodeJS.ErrnoException)?.code) return fail('read-failed', fsReason(e, 'the file'));
    return fail('decoder-failed', `unexpected failure: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** File names the walker treats as audio (by extension; the content is judged later by its magic bytes). */
export const AUDIO_EXTENSIONS = ['wav', 'wave', 'aif', 'aiff', 'flac', 'mp3', 'ogg', 'oga'] as const;
const AUDIO_NAME = new RegExp(`\\.(${AUDIO_EXTENSIONS.join('|')})$`, 'i');

/** True when a file name has an audio extension; macOS '._' AppleDouble companions are not audio. */
export function looksLikeAudioName(name: string): boolean {
  return AUDIO_NAME.test(name) && !name.startsWith('._');
}

export type WalkErrorCode = 'unreadable-dir' | 'symlink-loop' | 'duplicate-dir' | 'broken-link' | 'read-failed' | 'outside-library';
export type WalkEntry =
  | { path: string; relPath: string; size: number; mtimeMs: number }
  | { path: string; relPath: string; error: { code: WalkErrorCode; reason: string } };

interface Frame {
  dir: string;
  /** dev:ino of this folder and its ancestors: a link to one of them is a loop. */
  ancestors: string[];
}

const key = (s: Stats): string => `${s.dev}:${s.ino}`;

/** Kernel pseudo-filesystems: endless, self-referential trees of non-audio; never walked. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

/**
 * Yields audio-looking files under `root`, depth-first in name order, following symbolic links that
 * stay inside the root. Loops (a link to an ancestor folder), links that leave the root and
 * unreadable folders are yielded as errors instead of being entered. Stops between folders once
 * `signal` is aborted.
 */
export async function* walkAudioFiles(root: string, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  let rootStat: Stats;
  try {
    rootStat = await stat(root);
  } catch (e) {
    yield { path: root, relPath: '', error: { code: 'unreadable-dir', reason: fsReason(e, 'the folder') } };
    return;
  }
  if (!rootStat.isDirectory()) {
    yield { path: root, relPath: '', error: { code: 'unreadable-dir', reason: 'the library root is not a folder' } };
    return;
  }
  const realRoot = await realpath(root).catch(() => root);
  const pseudo = PSEUDO_ROOTS.find((p) => inside(realRoot, p));
  if (pseudo) {
    yield { path: root, relPath: '', error: { code: 'unreadable-dir', reason: `${pseudo} is a system folder, not a sample library` } };
    return;
  }
  const visited = new Set<string>([key(rootStat)]);
  const seenFiles = new Set<string>();
  const stack: Frame[] = [{ dir: root, ancestors: [key(rootStat)] }];
  while (stack.length) {
    if (signal?.aborted) return;
    const { dir, ancestors } = stack.pop()!;
    let names: { name: string; link: boolean; dir: boolean; file: boolean }[];
    try {
      const d = await opendir(dir);
      names = [];
      for await (const ent of d) names.push({ name: ent.name, link: ent.isSymbolicLink(), dir: ent.isDirectory(), file: ent.isFile() });
    } catch (e) {
      yield { path: dir, relPath: rel(dir), error: { code: 'unreadable-dir', reason: fsReason(e, 'the folder') } };
      continue;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Frame[] = [];
    for (const ent of names) {
      const path = join(dir, ent.name);
      if (!ent.link && !ent.dir && !(ent.file && looksLikeAudioName(ent.name))) continue;
      let st: Stats;
      try {
        st = await stat(path); // follows links
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        if (ent.link && code === 'ELOOP') yield { path, relPath: rel(path), error: { code: 'symlink-loop', reason: 'symbolic link loop' } };
        else if (ent.link && code === 'ENOENT') {
          if (looksLikeAudioName(ent.name)) yield { path, relPath: rel(path), error: { code: 'broken-link', reason: 'symbolic link to a missing file' } };
        } else yield { path, relPath: rel(path), error: { code: 'read-failed', reason: fsReason(e, 'the entry') } };
        continue;
      }
      if (st.isDirectory()) {
        const k = key(st);
        if (ancestors.includes(k)) {
          const target = await realpath(path).catch(() => '?');
          yield { path, relPath: rel(path), error: { code: 'symlink-loop', reason: `links back to its own ancestor folder ${target}` } };
        } else if (visited.has(k)) {
          const target = await realpath(path).catch(() => '?');
          yield { path, relPath: rel(path), error: { code: 'duplicate-dir', reason: `folder ${target} was already walked through another path` } };
        } else if (ent.link && !inside(await realpath(path).catch(() => ''), realRoot)) {
          const target = await realpath(path).catch(() => '?');
          yield { path, relPath: rel(path), error: { code: 'outside-library', reason: `a link to ${target}, outside the library folder: not walked` } };
        } else {
          visited.add(k);
          subdirs.push({ dir: path, ancestors: [...ancestors, k] });
        }
      } else if (st.isFile() && looksLikeAudioName(ent.name)) {
        const k = key(st);
        if (seenFiles.has(k)) continue; // the same file reached through a second link
        seenFiles.add(k);
        yield { path, relPath: rel(path), size: st.size, mtimeMs: st.mtimeMs };
      }
    }
    // Reverse so the stack pops sub-folders in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
}
