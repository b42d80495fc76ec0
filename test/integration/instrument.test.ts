/**
 * The Instrument view's backend over the real WebSocket transport and SQLite: mappings persist per
 * project and refuse ambiguity; a recorded performance uploaded in chunks becomes a take whose WAV
 * holds exactly the samples sent, placed on the timeline as one undoable edit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-main/audio';
import { CheckpointsRepo } from '../../src-main/db/checkpoints-repo';
import { InstrumentRepo } from '../../src-main/db/instrument-repo';
import { TakesRepo } from '../../src-main/db/takes-repo';
import { InstrumentService } from '../../src-main/instrument/service';
import { projectDir } from '../../src-main/paths';
import { encodeSamples } from '../../src-preload/sample-codec';
import { RECORDING_LIMITS } from '../../src-shared/instrument/keys';
import { createApp } from '../../src-main/app';
import { startTestStudio, type TestStudio } from '../helpers/studio';
import { tempDir } from '../helpers/tmp';
import { failFileHandle } from '../helpers/faults';

const RATE = 16000;

/** A performance-like signal: two decaying tones, so it is neither silent nor trivially periodic. */
function performance(seconds: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.4 * Math.sin((2 * Math.PI * 261.63 * i) / RATE) * Math.exp(-i / RATE) + 0.2 * Math.sin((2 * Math.PI * 392 * i) / RATE);
  return out;
}

async function upload(s: TestStudio, projectId: string, audio: Float32Array, chunk: number = RECORDING_LIMITS.maxChunkSamples): Promise<string> {
  const { recordingId } = await s.client.invoke('instrument.recordingStart', { projectId, sampleRate: RATE });
  for (let at = 0; at < audio.length; at += chunk) {
    const { received } = await s.client.invoke('instrument.recordingAppend', { recordingId, offset: at, samples: encodeSamples(audio.subarray(at, at + chunk)) });
    expect(received).toBe(Math.min(audio.length, at + chunk));
  }
  return recordingId;
}

const partials = (s: TestStudio, projectId: string) => {
  const dir = join(projectDir(s.dataDir, projectId), 'takes');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.partial')) : [];
};

describe('instrument backend', () => {
  let s: TestStudio;
  let projectId: string;

  beforeAll(async () => {
    s = await startTestStudio();
    projectId = (await s.client.invoke('projects.create', { name: 'Played' })).id;
  });
  afterAll(() => s.stop());

  describe('mapping', () => {
    it('is empty until set, then persists per project', async () => {
      expect(await s.client.invoke('instrument.getMapping', { projectId })).toEqual({ projectId, entries: [], updatedAt: null });
      const entries = [
        { label: 'C major', key: 'KeyA', note: 60 },
        { label: 'kick', key: null, note: 36 },
        { label: 'hat', key: 'Digit1', note: null },
      ];
      const set = await s.client.invoke('instrument.setMapping', { projectId, entries });
      expect(set.entries).toEqual(entries);
      expect(set.updatedAt).not.toBeNull();
      expect((await s.client.invoke('instrument.getMapping', { projectId })).entries).toEqual(entries);
      const other = (await s.client.invoke('projects.create', { name: 'Other' })).id;
      expect((await s.client.invoke('instrument.getMapping', { projectId: other })).entries).toEqual([]);
      // It goes with its project.
      await s.client.invoke('instrument.setMapping', { projectId: other, entries });
      await s.client.invoke('projects.delete', { id: other });
      expect(new InstrumentRepo(s.app.db).get(other)).toBeUndefined();
      await expect(s.client.invoke('instrument.getMapping', { projectId: other })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses a key, note or label given twice, keys it does not know and notes beyond MIDI', async () => {
      const bad = [
        [[{ label: 'a', key: 'KeyA', note: 1 }, { label: 'b', key: 'KeyA', note: 2 }], 'entries.1.key', /same key \(KeyA\) as "a"/],
        [[{ label: 'a', key: 'KeyA', note: 1 }, { label: 'b', key: 'KeyS', note: 1 }], 'entries.1.note', /same note/],
        [[{ label: 'a', key: null, note: null }, { label: 'a', key: null, note: null }], 'entries.1.label', /same label/],
        [[{ label: 'a', key: 'F13', note: 1 }], 'entries.0.key', /not a key/],
        [[{ label: 'a', key: null, note: 128 }], 'entries.0.note', /.+/],
        [[{ label: '', key: null, note: 1 }], 'entries.0.label', /empty/],
        [[{ label: 'a', key: null, note: 1, extra: true }], 'entries.0', /.+/],
      ] as const;
      for (const [entries, field, message] of bad) {
        const err = await s.client.invoke('instrument.setMapping', { projectId, entries: entries as never }).catch((e) => e);
        expect([field, err.code, err.field]).toEqual([field, 'VALIDATION', field]);
        expect(err.message).toMatch(message);
      }
      // Nothing of that reached the stored mapping.
      expect((await s.client.invoke('instrument.getMapping', { projectId })).entries.map((e) => e.label)).toEqual(['C major', 'kick', 'hat']);
    });
  });

  describe('recorded performances', () => {
    it('become a take with exactly the samples sent, on an Instrument track, and one undo removes the clip and track', async () => {
      const audio = performance(5.3); // 84 800 samples: two chunks, the second partial
      const recordingId = await upload(s, projectId, audio);
      expect(partials(s, projectId)).toHaveLength(1); // spooled to a temp file, not held in memory
      // A chunk sent again is ignored; one that leaves a gap is refused.
      expect(await s.client.invoke('instrument.recordingAppend', { recordingId, offset: 0, samples: encodeSamples(audio.subarray(0, 100)) })).toEqual({ received: audio.length });
      await expect(s.client.invoke('instrument.recordingAppend', { recordingId, offset: audio.length + 5, samples: encodeSamples(audio.subarray(0, 10)) })).rejects.toMatchObject({ code: 'CONFLICT', field: 'offset' });

      const before = await s.client.invoke('arrangement.get', { projectId });
      const done = await s.client.invoke('instrument.recordingFinish', { recordingId, labels: ['C major', 'kick', 'C major'], notes: 7 });
      expect(done.take).toMatchObject({ name: 'Performance 1', sampleRate: RATE, frames: audio.length, label: null, params: { kind: 'performance', labels: ['C major', 'kick'], notes: 7 } });
      expect(done.take.params.note).toMatch(/Played live on the Instrument view.*7 notes, 5\.30 s, labels C major, kick/);
      // The WAV is the samples sent, bit for bit, and not silent.
      const wav = decodeWav(readFileSync(done.take.path));
      expect(wav.sampleRate).toBe(RATE);
      expect(Buffer.from(wav.data[0].buffer, wav.data[0].byteOffset, wav.data[0].byteLength).equals(Buffer.from(audio.buffer))).toBe(true);
      expect(Math.max(...wav.data[0].map(Math.abs))).toBeGreaterThan(0.3);
      expect(partials(s, projectId)).toEqual([]);
      // On the timeline: an Instrument track with the clip, 3× the frames at the arrangement's 48 kHz.
      const track = done.arrangement.arrangement.tracks.find((t) => t.id === done.trackId)!;
      expect(track.name).toBe('Instrument');
      expect(track.clips).toEqual([expect.objectContaining({ id: done.clipId, source: { kind: 'take', id: done.take.id }, position: 0, sourceLength: audio.length * 3, length: audio.length * 3 })]);
      expect(done.arrangement).toMatchObject({ canUndo: true, undoLabel: 'Record Performance 1', revision: before.revision + 1 });
      expect(await s.client.invoke('arrangement.get', { projectId })).toEqual(done.arrangement);
      expect((await s.client.invoke('takes.list', { projectId })).map((t) => t.id)).toContain(done.take.id);
      // Finished means closed.
      await expect(s.client.invoke('instrument.recordingFinish', { recordingId })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'recordingId' });

      // A second performance follows the first on the same track.
      const second = await s.client.invoke('instrument.recordingFinish', { recordingId: await upload(s, projectId, performance(1), 4000), labels: ['kick'], notes: 1 });
      expect(second.take).toMatchObject({ name: 'Performance 2', label: 'kick' });
      expect(second.trackId).toBe(done.trackId);
      expect(second.arrangement.arrangement.tracks.find((t) => t.id === done.trackId)!.clips.map((c) => c.position)).toEqual([0, audio.length * 3]);

      // Undo takes the second clip off, then the first with its track.
      await s.client.invoke('arrangement.undo', { projectId });
      const undone = await s.client.invoke('arrangement.undo', { projectId });
      expect(undone.arrangement.tracks).toEqual(before.arrangement.tracks);
      const redone = await s.client.invoke('arrangement.redo', { projectId });
      expect(redone.arrangement.tracks.find((t) => t.id === done.trackId)!.clips.map((c) => c.id)).toEqual([done.clipId]);
    });

    it('refuses bad samples, rates, chunk sizes and takes too short; cancel leaves nothing behind', async () => {
      const start = (sampleRate = RATE) => s.client.invoke('instrument.recordingStart', { projectId, sampleRate });
      await expect(start(4000)).rejects.toMatchObject({ code: 'VALIDATION', field: 'sampleRate' });
      await expect(start(44100.5)).rejects.toMatchObject({ code: 'VALIDATION', field: 'sampleRate' });
      await expect(s.client.invoke('instrument.recordingStart', { projectId: 'nope', sampleRate: RATE })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(s.client.invoke('instrument.recordingStart', { projectId, sampleRate: RATE, checkpointId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'checkpointId' });

      const { recordingId } = await start();
      const append = (samples: string, offset = 0) => s.client.invoke('instrument.recordingAppend', { recordingId, offset, samples });
      await expect(append(encodeSamples(new Float32Array([0.1, Number.NaN])))).rejects.toMatchObject({ code: 'VALIDATION', message: /sample 1 is NaN/ });
      await expect(append(encodeSamples(new Float32Array([Number.POSITIVE_INFINITY])))).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(append(encodeSamples(new Float32Array([40])))).rejects.toMatchObject({ code: 'VALIDATION', message: /±16/ });
      await expect(append('AAA')).rejects.toMatchObject({ code: 'VALIDATION', field: 'samples' }); // not whole float32s
      await expect(append('!!!!')).rejects.toMatchObject({ code: 'VALIDATION', field: 'samples' }); // not base64
      // Bigger than a chunk: refused by the contract before it is decoded.
      await expect(append(encodeSamples(new Float32Array(RECORDING_LIMITS.maxChunkSamples + 1)))).rejects.toMatchObject({ code: 'VALIDATION', field: 'samples' });
      // Nothing bad was kept: the recording is still empty, and too short to keep.
      expect(await append(encodeSamples(new Float32Array(100).fill(0.5)))).toEqual({ received: 100 });
      await expect(s.client.invoke('instrument.recordingFinish', { recordingId })).rejects.toMatchObject({ code: 'VALIDATION', message: /at least 0.05 s/ });
      expect(partials(s, projectId)).toHaveLength(1);
      expect(await s.client.invoke('instrument.recordingCancel', { recordingId })).toEqual({ cancelled: true });
      expect(await s.client.invoke('instrument.recordingCancel', { recordingId })).toEqual({ cancelled: false });
      expect(partials(s, projectId)).toEqual([]);
      await expect(s.client.invoke('instrument.recordingAppend', { recordingId: 'x', offset: 0, samples: 'AAAAAA==' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'recordingId' });
    });

    it(`limits a performance to ${RECORDING_LIMITS.maxSeconds} s and open recordings to ${RECORDING_LIMITS.maxOpen}`, async () => {
      const rate = 8000;
      const { recordingId, maxSamples } = await s.app.call('instrument.recordingStart', { projectId, sampleRate: rate });
      expect(maxSamples).toBe(RECORDING_LIMITS.maxSeconds * rate);
      const chunk = encodeSamples(new Float32Array(RECORDING_LIMITS.maxChunkSamples).fill(0.01));
      let offset = 0;
      while (offset + RECORDING_LIMITS.maxChunkSamples <= maxSamples) offset = (await s.app.call('instrument.recordingAppend', { recordingId, offset, samples: chunk })).received;
      await expect(s.app.call('instrument.recordingAppend', { recordingId, offset, samples: chunk })).rejects.toMatchObject({ code: 'VALIDATION', message: /at most 600 s/ });
      const more = [];
      for (let i = 1; i < RECORDING_LIMITS.maxOpen; i++) more.push((await s.app.call('instrument.recordingStart', { projectId, sampleRate: rate })).recordingId);
      await expect(s.app.call('instrument.recordingStart', { projectId, sampleRate: rate })).rejects.toMatchObject({ code: 'CONFLICT' });
      for (const id of [recordingId, ...more]) await s.app.call('instrument.recordingCancel', { recordingId: id });
      expect(partials(s, projectId)).toEqual([]);
    });

    it('a full disk at finish: a clear error, no take, no clip, no file left', async () => {
      const recordingId = await upload(s, projectId, performance(0.5));
      const takesBefore = (await s.client.invoke('takes.list', { projectId })).length;
      const revision = (await s.client.invoke('arrangement.get', { projectId })).revision;
      const fault = await failFileHandle('writeFile', 'ENOSPC');
      try {
        await expect(s.client.invoke('instrument.recordingFinish', { recordingId })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: /cannot save the performance: the disk holding the project folder is full \(ENOSPC/ });
      } finally {
        fault.restore();
      }
      expect((await s.client.invoke('takes.list', { projectId })).length).toBe(takesBefore);
      expect((await s.client.invoke('arrangement.get', { projectId })).revision).toBe(revision);
      expect(partials(s, projectId)).toEqual([]);
      const wavs = readdirSync(join(projectDir(s.dataDir, projectId), 'takes')).filter((f) => f.endsWith('.wav'));
      expect(wavs.length).toBe(takesBefore);
    });

    it('a studio closing with recordings open leaves no temp file behind', async () => {
      const dir = tempDir();
      const app = createApp({ dataDir: dir.path, demoLibrary: false });
      try {
        const pid = (await app.call('projects.create', { name: 'Closing' })).id;
        const { recordingId } = await app.call('instrument.recordingStart', { projectId: pid, sampleRate: RATE });
        await app.call('instrument.recordingAppend', { recordingId, offset: 0, samples: encodeSamples(performance(0.2)) });
        const takesDir = join(projectDir(dir.path, pid), 'takes');
        expect(readdirSync(takesDir).filter((f) => f.endsWith('.partial'))).toHaveLength(1);
        app.close();
        expect(readdirSync(takesDir)).toEqual([]);
      } finally {
        app.close();
        dir.cleanup();
      }
    });

    it('drops a recording idle for too long, with its temp file', async () => {
      let clock = 1_000_000;
      const service = new InstrumentService(s.dataDir, new InstrumentRepo(s.app.db), s.app.projects, new CheckpointsRepo(s.app.db), new TakesRepo(s.app.db), s.app.arrange, s.app.bus, () => clock);
      const { recordingId } = service.startRecording(projectId, RATE, null);
      service.appendRecording(recordingId, 0, encodeSamples(performance(0.5)));
      clock += RECORDING_LIMITS.idleMs - 1;
      service.appendRecording(recordingId, 8000, encodeSamples(performance(0.1)));
      clock += RECORDING_LIMITS.idleMs + 1;
      expect(() => service.appendRecording(recordingId, 9600, encodeSamples(performance(0.1)))).toThrow(/not open .*idle/);
      expect(partials(s, projectId)).toEqual([]);
      service.close();
    });
  });
});
