import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WavehouseError } from '../../src-preload/client';
import { startTestStudio, type TestStudio } from '../helpers/studio';

/** Sends raw text over a fresh authenticated socket and returns the first reply. */
async function rawExchange(studio: TestStudio, text: string): Promise<any> {
  const ws = new WebSocket(`ws://127.0.0.1:${studio.server.port}/ws?token=${studio.server.token}`);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const reply = new Promise<any>((r) => ws.on('message', (d) => {
    const msg = JSON.parse(String(d));
    if (msg.type === 'result') r(msg);
  }));
  ws.send(text);
  const msg = await reply;
  ws.close();
  return msg;
}

function connectStatus(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => (ws.close(), resolve('open')));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

describe('loopback WebSocket transport', () => {
  let studio: TestStudio;
  beforeAll(async () => (studio = await startTestStudio()));
  afterAll(async () => studio.stop());

  it('creates a project and lists it, with types from the contract', async () => {
    const project = await studio.client.invoke('projects.create', { name: 'Piano triads', preset: 'sketch' });
    expect(project.name).toBe('Piano triads');
    expect(project.config.residualChannels).toBe(32);
    expect(project.parameterCount).toBeGreaterThan(10_000);
    expect(project.receptiveFieldMs).toBeCloseTo((2047 / 16000) * 1000, 5);
    const list = await studio.client.invoke('projects.list');
    expect(list.map((p) => p.id)).toContain(project.id);
  });

  it('answers a malformed request with a typed validation error and keeps serving', async () => {
    const err = await studio.client.invoke('projects.create', { name: '   ' }).catch((e) => e);
    expect(err).toBeInstanceOf(WavehouseError);
    expect(err.code).toBe('VALIDATION');
    expect(err.field).toBe('name');
    const bad = await studio.client.invoke('projects.create', { name: 'x', preset: 'enormous' } as never).catch((e) => e);
    expect(bad.code).toBe('VALIDATION');
    expect(bad.field).toBe('preset');
    const extra = await studio.client.invoke('projects.create', { name: 'x', rm: '-rf /' } as never).catch((e) => e);
    expect(extra.code).toBe('VALIDATION');
    const good = await studio.client.invoke('projects.create', { name: 'Still works' });
    expect(good.name).toBe('Still works');
  });

  it('rejects junk on the wire with BAD_MESSAGE or UNKNOWN_COMMAND, never a stack trace', async () => {
    const notJson = await rawExchange(studio, '{not json');
    expect(notJson.result).toEqual({ ok: false, error: { code: 'BAD_MESSAGE', message: expect.any(String) } });
    const noType = await rawExchange(studio, JSON.stringify({ id: 7, name: 'projects.list' }));
    expect(noType.id).toBe(7);
    expect(noType.result.error.code).toBe('BAD_MESSAGE');
    const unknown = await rawExchange(studio, JSON.stringify({ type: 'invoke', id: 8, name: 'fs.readFile', input: { path: '/etc/passwd' } }));
    expect(unknown.result.error.code).toBe('UNKNOWN_COMMAND');
    const proto = await rawExchange(studio, JSON.stringify({ type: 'invoke', id: 9, name: '__proto__', input: {} }));
    expect(proto.result.error.code).toBe('UNKNOWN_COMMAND');
    expect(JSON.stringify([notJson, noType, unknown, proto])).not.toMatch(/at .*\.ts:\d+/);
    const ok = await rawExchange(studio, JSON.stringify({ type: 'invoke', id: 10, name: 'projects.list', input: {} }));
    expect(ok.result.ok).toBe(true);
  });

  it('survives hostile frames: a non-string command name, a 2,000-deep edit batch, malformed %-encoding', async () => {
    // {"toString": "app.info"} as the name: String(name) would throw inside the message handler.
    const objectName = await rawExchange(studio, '{"type":"invoke","id":1,"name":{"toString":"app.info"},"input":{}}');
    expect(objectName.result.error.code).toBe('UNKNOWN_COMMAND');
    expect(objectName.result.error.message).toMatch(/not a command name/);
    // A batch nested 2,000 deep (~27 KB) overflows the recursive schema's stack unless refused first.
    let edit: unknown = { type: 'batch', edits: [{ type: 'removeTrack', trackId: 'x' }] };
    for (let i = 0; i < 2000; i++) edit = { type: 'batch', edits: [edit] };
    const deep = await rawExchange(studio, JSON.stringify({ type: 'invoke', id: 2, name: 'arrangement.edit', input: { projectId: 'p', edit } }));
    expect(deep.result.error).toEqual({ code: 'VALIDATION', message: expect.stringMatching(/nests deeper than 64/) });
    const malformed = await fetch(`${studio.server.url}/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    const media = await fetch(`${studio.server.url}/media/sample/%E0%A4%A?token=${studio.server.token}`);
    expect(media.status).toBe(404);
    const ok = await rawExchange(studio, JSON.stringify({ type: 'invoke', id: 3, name: 'app.info', input: {} }));
    expect(ok.result.ok).toBe(true);
  });

  it('reports a missing record as NOT_FOUND and a duplicate name as CONFLICT', async () => {
    const missing = await studio.client.invoke('projects.get', { id: 'nope' }).catch((e) => e);
    expect(missing.code).toBe('NOT_FOUND');
    await studio.client.invoke('projects.create', { name: 'Twice' });
    const twice = await studio.client.invoke('projects.create', { name: 'twice' }).catch((e) => e);
    expect(twice.code).toBe('CONFLICT');
    expect(twice.field).toBe('name');
  });

  it('pushes events to connected clients', async () => {
    const seen = new Promise((resolve) => studio.client.on('data.changed', (p) => p.entity === 'projects' && resolve(p)));
    await studio.client.invoke('projects.create', { name: 'Evented' });
    await expect(seen).resolves.toEqual({ entity: 'projects' });
  });

  it('listens on loopback only and refuses connections without the token or from another origin', async () => {
    expect(studio.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const base = `ws://127.0.0.1:${studio.server.port}/ws`;
    expect(await connectStatus(base)).toBe(401);
    expect(await connectStatus(`${base}?token=wrong`)).toBe(401);
    expect(await connectStatus(`${base}?token=${studio.server.token}`, { Origin: 'http://evil.example' })).toBe(401);
    expect(await connectStatus(`${base}?token=${studio.server.token}`, { Origin: `http://127.0.0.1:${studio.server.port}` })).toBe('open');
  });

  it('serves media by opaque id with HTTP Range support, and never by path', async () => {
    const root = join(studio.dataDir, 'lib');
    mkdirSync(root, { recursive: true });
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    writeFileSync(join(root, 'a.wav'), bytes);
    const db = studio.app.db;
    db.prepare(`INSERT INTO libraries (id, name, root_path, created_at, updated_at) VALUES ('lib1', 'lib', ?, 'now', 'now')`).run(root);
    const insert = db.prepare(`INSERT INTO samples (id, library_id, rel_path, size, mtime_ms, imported_at) VALUES (?, 'lib1', ?, 1000, 0, 'now')`);
    insert.run('s1', 'a.wav');
    insert.run('s2', '../../../etc/passwd');
    const base = `${studio.server.url}/media/sample`;
    const t = `token=${studio.server.token}`;

    const full = await fetch(`${base}/s1?${t}`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(bytes);

    const part = await fetch(`${base}/s1?${t}`, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const tail = await fetch(`${base}/s1?${t}`, { headers: { Range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));

    expect((await fetch(`${base}/s1?${t}`, { headers: { Range: 'bytes=5000-' } })).status).toBe(416);
    expect((await fetch(`${base}/s1`)).status).toBe(401);
    expect((await fetch(`${base}/nope?${t}`)).status).toBe(404);
    expect((await fetch(`${base}/s2?${t}`)).status).toBe(404);
    expect((await fetch(`${studio.server.url}/media/..%2F..%2Fetc%2Fpasswd?${t}`)).status).toBe(404);
  });
});
