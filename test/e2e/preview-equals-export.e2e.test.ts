/**
 * The Tone.js preview equals the export. An arrangement with two audible tracks (gains, pans, a
 * mono and a stereo source, fades — overlapping ones too — and overlapping clips) and a muted track
 * is rendered in Chromium by the studio's own scheduling code (`renderOffline`, through the page's
 * `window.__wavehouseArrange` hook) and exported by the backend as 32-bit float; the two mixdowns
 * must agree sample for sample within float32 rounding. Then solo-over-mute, and the live player's
 * known Tone.js traps (restart after stop, start mid-clip, loop) on an offline clock.
 *
 * Tolerance: max |preview − export| ≤ 1e-4 (−80 dBFS) and correlation ≥ 0.99999. Both sides use the
 * same laws in float32 but a different operation order, and Chromium evaluates AudioParam
 * automation (our fade ramps) and the StereoPannerNode's gains in single precision; measured here
 * ~2e-5 worst case on a ~0.16 RMS mix (the live-player checks, Chromium against Chromium, stay
 * ~2e-7). A wrong law misses by far more: a −3 dB pan centre, a fade or a clip one frame off, or
 * a stereo source folded to mono all give errors of 1e-3 and up.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Edit } from '../../src-shared/arrange/edits';
import { arrangementEnd, createClip, createTrack, type Arrangement, type SourceRef } from '../../src-shared/arrange/model';
import { decodeWav } from '../../src-main/audio';
import { encodeWav } from '../../src-main/audio/wav-encode';
import type { Client } from '../../src-preload/client';
import type { WebSocketBridge } from '../../src-preload/websocket-bridge';
import type { PlayerStep } from '../../src-renderer/src/arrange/test-hooks';
import { tempDir } from '../helpers/tmp';
import { expectNoPageProblems, openStudio, type StudioSession } from './helpers/studio';
import { waitForStudio } from './helpers/ui';
import { connectSideClient, until } from './helpers/side-client';

const RATE = 48_000;
const MAX_ABS = 1e-4;
const MIN_CORRELATION = 0.99999;

/** A deterministic test signal: a few partials with a slow wobble, different per channel. */
function tone(seconds: number, freqs: number[], channels: number): Float32Array[] {
  const n = Math.round(seconds * RATE);
  return Array.from({ length: channels }, (_, ch) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / RATE;
      let v = 0;
      for (const [k, f] of freqs.entries()) v += Math.sin(2 * Math.PI * f * (1 + 0.15 * ch) * t + k) / (k + 2);
      // Quiet enough that the mix stays within ±1: decodeWav clamps float samples to [−1, 1].
      a[i] = 0.45 * v * (0.75 + 0.25 * Math.sin(2 * Math.PI * 1.3 * t));
    }
    return a;
  });
}

interface Comparison {
  maxAbs: number;
  correlation: number;
  rms: number;
}

function compare(a: ArrayLike<number>[], b: ArrayLike<number>[]): Comparison {
  let maxAbs = 0;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let ch = 0; ch < 2; ch++) {
    expect(a[ch].length, `channel ${ch} length`).toBe(b[ch].length);
    for (let i = 0; i < a[ch].length; i++) {
      const x = a[ch][i];
      const y = b[ch][i];
      maxAbs = Math.max(maxAbs, Math.abs(x - y));
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
  }
  return { maxAbs, correlation: ab / Math.sqrt(aa * bb), rms: Math.sqrt(bb / (2 * b[0].length)) };
}

describe('Tone.js preview equals the 32-bit float export (e2e)', () => {
  let studio: StudioSession | undefined;
  let page: Page;
  let side: { bridge: WebSocketBridge; client: Client } | undefined;
  let projectId = '';
  let arrangement: Arrangement;
  let full: number[][] = [];
  const folder = tempDir('wavehouse-e2e-preview-');
  const exportsDir = tempDir('wavehouse-e2e-preview-out-');
  const measured: Record<string, Comparison> = {};

  async function edit(e: Edit, label: string) {
    const state = await side!.client.invoke('arrangement.edit', { projectId, edit: e, label });
    arrangement = state.arrangement;
  }

  async function exportMixdown(name: string): Promise<Float32Array[]> {
    const { job } = await side!.client.invoke('exports.start', { projectId, bits: '32f', outDir: join(exportsDir.path, name) });
    const done = await until('the export', () => side!.client.invoke('jobs.get', { id: job.id }), (j) => j.state !== 'queued' && j.state !== 'running');
    expect(done.state, done.error ?? '').toBe('done');
    const files = (done.result as { files: { name: string; path: string; kind: string }[] }).files;
    const wav = decodeWav(new Uint8Array(readFileSync(files.find((f) => f.kind === 'mixdown')!.path)));
    expect(wav.sampleRate).toBe(RATE);
    return wav.data;
  }

  function renderInPage(arr: Arrangement): Promise<number[][]> {
    return page.evaluate((a) => (window as unknown as { __wavehouseArrange: { renderMixdown(a: unknown): Promise<number[][]> } }).__wavehouseArrange.renderMixdown(a), arr);
  }

  function runPlayer(arr: Arrangement, steps: PlayerStep[], seconds: number): Promise<number[][]> {
    return page.evaluate(
      ({ a, s, secs }) => (window as unknown as { __wavehouseArrange: { runPlayer(a: unknown, s: unknown, secs: number): Promise<number[][]> } }).__wavehouseArrange.runPlayer(a, s, secs),
      { a: arr, s: steps, secs: seconds },
    );
  }

  beforeAll(async () => {
    mkdirSync(folder.path, { recursive: true });
    writeFileSync(join(folder.path, 'a-mono.wav'), encodeWav(tone(1.0, [220, 331, 547], 1), RATE, { bits: 16, dither: 'none' }));
    writeFileSync(join(folder.path, 'b-stereo.wav'), encodeWav(tone(0.8, [277, 415], 2), RATE, { bits: 16, dither: 'none' }));
    writeFileSync(join(folder.path, 'c-mono.wav'), encodeWav(tone(0.5, [660], 1), RATE, { bits: 16, dither: 'none' }));
    studio = await openStudio({ colorScheme: 'dark' });
    page = studio.page;
    side = await connectSideClient(studio.server.openUrl);
    const { job, library } = await side.client.invoke('libraries.import', { paths: [folder.path], name: 'Preview sources' });
    await until('the import', () => side!.client.invoke('jobs.get', { id: job.id }), (j) => j.state !== 'queued' && j.state !== 'running');
    const { rows } = await side.client.invoke('samples.list', { libraryId: library.id });
    const ref = (name: string): SourceRef => ({ kind: 'sample', id: rows.find((r) => r.relPath === name)!.id });
    const len = (name: string) => rows.find((r) => r.relPath === name)!.frames!;
    projectId = (await side.client.invoke('projects.create', { name: 'Preview vs export', libraryIds: [library.id] })).id;

    const a = ref('a-mono.wav');
    const b = ref('b-stereo.wav');
    const c = ref('c-mono.wav');
    await edit(
      {
        type: 'batch',
        edits: [
          {
            type: 'addTrack',
            track: createTrack('lead', 'Lead', {
              gainDb: -3,
              pan: -0.4,
              clips: [
                createClip('a1', a, len('a-mono.wav'), 0, { length: 30_000, fadeIn: 4800, fadeOut: 9600, gainDb: -2 }),
                // Overlaps a1 (the two sum) and has overlapping fades (the fade-out starts mid fade-in).
                createClip('a2', a, len('a-mono.wav'), 24_000, { sourceOffset: 2000, length: 12_000, fadeIn: 8000, fadeOut: 6000 }),
              ],
            }),
          },
          {
            type: 'addTrack',
            track: createTrack('pad', 'Pad', { gainDb: 1.5, pan: 0.5, clips: [createClip('b1', b, len('b-stereo.wav'), 12_000, { sourceOffset: 480, length: 30_000, fadeIn: 2400 })] }),
          },
          { type: 'addTrack', track: createTrack('muted', 'Muted', { mute: true, pan: 0.2, clips: [createClip('c1', c, len('c-mono.wav'), 6000, { fadeOut: 1200 })] }) },
        ],
      },
      'Build the test arrangement',
    );
    await waitForStudio(page);
  }, 60_000);

  afterEach(() => expectNoPageProblems(studio));

  afterAll(async () => {
    side?.bridge.close();
    await studio?.close();
    folder.cleanup();
    exportsDir.cleanup();
    console.info('preview vs export:', JSON.stringify(measured));
  });

  it('renders the arrangement like the export: gains, pans, fades, overlaps, mute', async () => {
    const exported = await exportMixdown('mix');
    full = await renderInPage(arrangement);
    expect(full[0]).toHaveLength(arrangementEnd(arrangement));
    const m = compare(full, exported);
    measured.mix = m;
    expect(m.rms).toBeGreaterThan(0.03); // not two silences
    expect(m.maxAbs).toBeLessThanOrEqual(MAX_ABS);
    expect(m.correlation).toBeGreaterThanOrEqual(MIN_CORRELATION);
  });

  it('lets solo override mute, like the export', async () => {
    await edit({ type: 'setTrack', trackId: 'muted', props: { solo: true } }, 'Solo the muted track');
    const exported = await exportMixdown('solo');
    const preview = await renderInPage(arrangement);
    const m = compare(preview, exported);
    measured.solo = m;
    expect(m.rms).toBeGreaterThan(0.01);
    expect(m.maxAbs).toBeLessThanOrEqual(MAX_ABS);
    expect(m.correlation).toBeGreaterThanOrEqual(MIN_CORRELATION);
    await edit({ type: 'setTrack', trackId: 'muted', props: { solo: false } }, 'Unsolo');
  });

  describe('the live player on an offline clock (Tone.js traps)', () => {
    const slice = (chs: number[][], from: number, to: number) => chs.map((c) => c.slice(from, to));
    const peak = (chs: number[][]) => Math.max(...chs.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));

    it('plays from 0, stops, and plays again from 0 (no silent restart)', async () => {
      const out = await runPlayer(arrangement, [{ at: 0, play: 0 }, { at: 0.25, stop: true }, { at: 0.5, play: 0 }], 1);
      const stopAt = 0.25 * RATE;
      const restartAt = 0.5 * RATE;
      const first = compare(slice(out, 0, stopAt), slice(full, 0, stopAt));
      const silent = peak(slice(out, stopAt, restartAt));
      const again = compare(slice(out, restartAt, RATE), slice(full, 0, RATE - restartAt));
      measured.restart = again;
      expect(first.maxAbs).toBeLessThanOrEqual(MAX_ABS);
      expect(silent).toBe(0);
      expect(again.rms).toBeGreaterThan(0.03);
      expect(again.maxAbs).toBeLessThanOrEqual(MAX_ABS);
    });

    it('starts mid-clip (mid fade-in, mid overlap) at the right source offset and envelope', async () => {
      const from = 26_500; // inside a1's body, a2's overlapping fades and b1
      const frames = arrangementEnd(arrangement) - from;
      const out = await runPlayer(arrangement, [{ at: 0, play: from }], frames / RATE);
      const m = compare(out, slice(full, from, from + frames));
      measured.midClip = m;
      expect(m.rms).toBeGreaterThan(0.05);
      expect(m.maxAbs).toBeLessThanOrEqual(MAX_ABS);
    });

    it('loops a region seamlessly', async () => {
      const loop = { start: 9000, end: 33_000 };
      const len = loop.end - loop.start;
      const out = await runPlayer(arrangement, [{ at: 0, play: loop.start, loop }], (2.5 * len) / RATE);
      const expected = [0, 1].map((ch) => Array.from({ length: out[0].length }, (_, i) => full[ch][loop.start + (i % len)]));
      const m = compare(out, expected);
      measured.loop = m;
      expect(m.maxAbs).toBeLessThanOrEqual(MAX_ABS);
    });
  });
});
