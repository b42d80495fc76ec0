/**
 * Media by id, not by path: the renderer asks for `sample/<id>` or `take/<id>` and only the
 * database decides which file that is. Serves HTTP Range requests (206) for seeking players.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Db } from './db/database';
import { Id } from '../src-preload/contract';
import { weightsFileOf, weightsWindow } from './model/checkpoint';

export type MediaKind = 'sample' | 'take' | 'export' | 'preview' | 'weights';

/** A file to serve, or (`window`) only a byte range of it served as if it were the whole file. */
export interface MediaFile {
  path: string;
  window?: { offset: number; length: number };
}

const CONTENT_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
};

/** decodeURIComponent that answers undefined for malformed %-encoding instead of throwing. */
export function decodePathPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** Parses `/<kind>/<id>` from a media URL path; anything else is rejected. */
export function parseMediaPath(pathname: string): { kind: MediaKind; id: string } | undefined {
  const m = /^\/?(sample|take|export|preview|weights)\/([^/]+)$/.exec(pathname);
  if (!m) return undefined;
  const id = decodePathPart(m[2]);
  if (id === undefined || !Id.safeParse(id).success) return undefined;
  return { kind: m[1] as MediaKind, id };
}

/** Resolves opaque media ids to files through the database. */
export class MediaResolver {
  constructor(private db: Db) {}

  /** The file behind a media id, or undefined if there is none. */
  resolve(kind: MediaKind, id: string): string | undefined {
    if (kind === 'sample') {
      const row = this.db
        .prepare(`SELECT l.root_path AS root, s.rel_path AS rel FROM samples s JOIN libraries l ON l.id = s.library_id WHERE s.id = ? AND s.error IS NULL`)
        .get(id) as { root: string; rel: string } | undefined;
      // Only decoded audio has a media URL: a failed sample (not audio, unreadable) is never served.
      if (!row) return undefined;
      // Neither a stored relative path nor a symlink placed since the import may lead out of the library.
      try {
        const root = realpathSync(row.root);
        const full = realpathSync(join(row.root, row.rel));
        return full.startsWith(root + sep) ? full : undefined;
      } catch {
        return undefined;
      }
    }
    if (kind === 'take') {
      const row = this.db.prepare(`SELECT path FROM takes WHERE id = ?`).get(id) as { path: string } | undefined;
      return row?.path;
    }
    if (kind === 'export') {
      // `<exportJobId>_<fileIndex>`: a file of a finished export job's result.
      const m = /^(.+)_(\d+)$/.exec(id);
      if (!m) return undefined;
      const row = this.db.prepare(`SELECT result FROM jobs WHERE id = ? AND kind = 'export' AND state = 'done'`).get(m[1]) as { result: string | null } | undefined;
      const files = row?.result ? (JSON.parse(row.result) as { files?: { path: string }[] }).files : undefined;
      return files?.[Number(m[2])]?.path;
    }
    if (kind === 'preview') {
      // `<checkpointId>_<index>`: a preview rendered while training, recorded on its checkpoint.
      const m = /^(.+)_(\d+)$/.exec(id);
      if (!m) return undefined;
      const row = this.db.prepare(`SELECT card FROM checkpoints WHERE id = ?`).get(m[1]) as { card: string } | undefined;
      const previews = row ? (JSON.parse(row.card) as { previews?: { path: string }[] }).previews : undefined;
      return previews?.[Number(m[2])]?.path;
    }
    if (kind === 'weights') {
      // `<checkpointId>`: the checkpoint's weights file (its weights section is served, see resolveFile).
      const row = this.db.prepare(`SELECT path FROM checkpoints WHERE id = ?`).get(id) as { path: string } | undefined;
      return row ? weightsFileOf(row.path) : undefined;
    }
    return undefined;
  }

  /** The file (or part of a file) behind a media id: a checkpoint's weights section for `weights`. */
  resolveFile(kind: MediaKind, id: string): MediaFile | undefined {
    const path = this.resolve(kind, id);
    if (!path) return undefined;
    if (kind !== 'weights') return { path };
    try {
      return { path, window: weightsWindow(path) };
    } catch {
      return undefined;
    }
  }
}

/**
 * The media response for `<kind>/<id>`: 404 when the database knows no such media, else the file
 * (or its window) with Range support. Both transports (Electron protocol, `serve`) answer with it.
 */
export function mediaResponse(resolver: MediaResolver, kind: MediaKind, id: string, rangeHeader: string | null): Response {
  const file = resolver.resolveFile(kind, id);
  return file ? fileResponse(file.path, rangeHeader, file.window) : new Response('no such media', { status: 404 });
}

/** Builds a web Response for a file, honouring a single `Range: bytes=a-b` request with 206. */
export function fileResponse(path: string, rangeHeader: string | null, window?: { offset: number; length: number }): Response {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return new Response('not found', { status: 404 });
    size = st.size;
  } catch {
    return new Response('the file is missing', { status: 404 });
  }
  // A window serves bytes [offset, offset + length) of the file as a file of that length.
  const base = window ? window.offset : 0;
  if (window) {
    if (window.offset + window.length > size) return new Response('the file is truncated', { status: 404 });
    size = window.length;
  }
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const common = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
  if (rangeHeader) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
    let start = m && m[1] !== '' ? Number(m[1]) : NaN;
    let end = m && m[2] !== '' ? Number(m[2]) : size - 1;
    if (m && m[1] === '' && m[2] !== '') {
      // suffix range: the last N bytes
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    }
    if (!m || !Number.isFinite(start) || start >= size || end < start) {
      return new Response(null, { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}` } });
    }
    end = Math.min(end, size - 1);
    const body = Readable.toWeb(createReadStream(path, { start: base + start, end: base + end })) as ReadableStream;
    return new Response(body, {
      status: 206,
      headers: { ...common, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${size}` },
    });
  }
  const body = size === 0 ? null : (Readable.toWeb(createReadStream(path, { start: base, end: base + size - 1 })) as ReadableStream);
  return new Response(body, { status: 200, headers: { ...common, 'Content-Length': String(size) } });
}
