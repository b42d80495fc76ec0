import { describe, expect, it } from 'vitest';
import { createArrangement, createClip, createTrack, type Arrangement } from '../../../src-main/arrange';
import { mixArrangement, renderStems, sanitizeFileName, stemFileName, type EncodeFn, type ExportFileInfo, type ExportProgress } from '../../../src-main/export';
import { dc, linearResampler, sine, sourceTable } from '../../fixtures/golden/scenes';

const R = 48000;
const take = (id: string) => ({ kind: 'take' as const, id });

describe('stem file names', () => {
  it('are NN_Name.wav with a 1-based, zero-padded index', () => {
    expect(stemFileName(0, 'Drums')).toBe('01_Drums.wav');
    expect(stemFileName(11, 'Bass')).toBe('12_Bass.wav');
    expect(stemFileName(99, 'X')).toBe('100_X.wav');
  });

  it('are safe on every OS', () => {
    expect(sanitizeFileName('AC/DC: "Back\\In" <Black>?*|')).toBe('AC_DC_ _Back_In_ _Black____');
    expect(sanitizeFileName('tab\there\nnew\u0000line\u007f')).toBe('tab_here_new_line_');
    expect(sanitizeFileName('trailing dots... ')).toBe('trailing dots');
    expect(sanitizeFileName('...hidden')).toBe('hidden');
    expect(sanitizeFileName('CON')).toBe('_CON');
    expect(sanitizeFileName('com1.txt')).toBe('_com1.txt');
    expect(sanitizeFileName('lpt9')).toBe('_lpt9');
    expect(sanitizeFileName('Console')).toBe('Console');
    expect(sanitizeFileName('   ')).toBe('Track');
    expect(sanitizeFileName('..')).toBe('Track');
    expect(sanitizeFileName('Grüße 🎸')).toBe('Grüße 🎸');
    const long = sanitizeFileName('🎸'.repeat(100));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(120);
    expect(long).toBe('🎸'.repeat(30)); // never splits a character
  });
});

function arrangement(): Arrangement {
  return createArrangement({
    sampleRate: R,
    tracks: [
      { ...createTrack('a', 'Kick/Snare', { pan: -0.3 }), clips: [createClip('a1', take('s'), 20000, 0)] },
      { ...createTrack('b', 'CON', { gainDb: -6 }), clips: [createClip('b1', take('d'), 5000, 15000, { fadeIn: 1000 })] },
    ],
  });
}

const sources = sourceTable({ s: { sampleRate: R, channels: [sine(220, R, 20000)] }, d: { sampleRate: R, channels: [dc(5000, 0.5)] } });

/** A transparent "encoder" for tests: keeps the channels so results can be compared. */
function capture(): { encode: EncodeFn; got: Map<number, Float32Array[]> } {
  const got = new Map<number, Float32Array[]>();
  let n = 0;
  return {
    got,
    encode: (channels, rate, opts) => {
      got.set(n, channels.map((c) => c.slice()));
      return new TextEncoder().encode(`file${n++} ${rate} ${opts.bits} ${channels[0].length}`);
    },
  };
}

describe('renderStems', () => {
  it('encodes one stem per track plus mixdown, in order, with the mixer’s audio', async () => {
    const { encode, got } = capture();
    const progress: ExportProgress[] = [];
    const r = await renderStems(arrangement(), sources, { bits: 24, encode, blockSize: 4096, onProgress: (p) => progress.push(p) });
    expect(r.files.map((f) => f.name)).toEqual(['01_Kick_Snare.wav', '02__CON.wav', 'mixdown.wav']);
    expect(r.files.map((f) => f.kind)).toEqual(['stem', 'stem', 'mixdown']);
    expect(new TextDecoder().decode(r.files[2].bytes)).toBe('file2 48000 24 20000');
    const m = await mixArrangement(arrangement(), sources);
    expect(got.get(0)).toEqual(m.stems[0].channels);
    expect(got.get(1)).toEqual(m.stems[1].channels);
    expect(got.get(2)).toEqual(m.mix);
    expect(r.files[1].peak).toBeCloseTo(0.5 * Math.SQRT1_2 * 10 ** (-6 / 20), 6);
    // Progress rises monotonically to 1 and ends with "done".
    const fr = progress.map((p) => p.fraction);
    expect(fr.every((f, i) => i === 0 || f >= fr[i - 1])).toBe(true);
    expect(progress.at(-1)).toEqual({ fraction: 1, stage: 'done' });
    expect(progress.length).toBeGreaterThan(10);
  });

  it('hands files to onFile as they are made and keeps no bytes', async () => {
    const { encode } = capture();
    const seen: string[] = [];
    const r = await renderStems(arrangement(), sources, { bits: 16, encode, onFile: (f) => void seen.push(`${f.name}:${f.bytes.length > 0}`) });
    expect(seen).toEqual(['01_Kick_Snare.wav:true', '02__CON.wav:true', 'mixdown.wav:true']);
    expect(r.files.every((f) => f.bytes === undefined)).toBe(true);
  });

  it('streams to writers block by block with the same audio as the whole-file path', async () => {
    const infos: ExportFileInfo[] = [];
    const data = new Map<string, Float32Array[][]>();
    let closed = 0;
    await renderStems(arrangement(), sources, {
      bits: '32f',
      blockSize: 3000,
      createWriter: (info) => {
        infos.push(info);
        data.set(info.name, []);
        return { write: (ch) => void data.get(info.name)!.push(ch.map((c) => c.slice())), close: () => void closed++ };
      },
    });
    expect(closed).toBe(3);
    expect(infos[0]).toEqual({ name: '01_Kick_Snare.wav', kind: 'stem', trackId: 'a', rate: R, frames: 20000, channels: 2, bits: '32f' });
    const join = (blocks: Float32Array[][], c: number) => Float32Array.from(blocks.flatMap((b) => Array.from(b[c])));
    const m = await mixArrangement(arrangement(), sources);
    expect(join(data.get('mixdown.wav')!, 0)).toEqual(m.mix[0]);
    expect(join(data.get('02__CON.wav')!, 1)).toEqual(m.stems[1].channels[1]);
    expect(data.get('mixdown.wav')!.length).toBe(7);
  });

  it('cancels between blocks with the signal’s reason and aborts every open writer', async () => {
    const ctl = new AbortController();
    let aborted = 0;
    let writes = 0;
    const run = renderStems(arrangement(), sources, {
      bits: 24,
      blockSize: 512,
      signal: ctl.signal,
      createWriter: () => ({ write: () => void (++writes === 5 && ctl.abort()), close: () => undefined, abort: () => void aborted++ }),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(aborted).toBe(3);
    expect(writes).toBeLessThan(10);

    const ctl2 = new AbortController();
    const { encode } = capture();
    const p = renderStems(arrangement(), sources, { bits: 24, encode, blockSize: 256, onProgress: (pr) => pr.fraction > 0.3 && ctl2.abort(new Error('user cancelled')), signal: ctl2.signal });
    await expect(p).rejects.toThrow('user cancelled');
  });

  it('an abort from a timer lands during a long render (the render yields to the event loop)', async () => {
    const long = createArrangement({ sampleRate: R, tracks: Array.from({ length: 8 }, (_, i) => ({ ...createTrack(`t${i}`, `T${i}`), clips: [createClip(`c${i}`, take('s'), 20000, 0)] })) });
    const many = { ...long, tracks: long.tracks.map((t) => ({ ...t, clips: Array.from({ length: 300 }, (_, k) => ({ ...t.clips[0], id: `${t.id}-${k}`, position: k * 20000 })) })) };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 20);
    const t0 = performance.now();
    await expect(renderStems(many, sources, { bits: 24, encode: () => new Uint8Array(1), signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('validates options and resamples to 44.1 kHz on request', async () => {
    const { encode } = capture();
    await expect(renderStems(arrangement(), sources, { bits: 8 as never, encode })).rejects.toThrow(/bits must be 16, 24 or "32f"/);
    await expect(renderStems(arrangement(), sources, { bits: 24, encode, rate: 22050 })).rejects.toThrow(/rate must be 44100, 48000 or the arrangement rate/);
    await expect(renderStems(arrangement(), sources, { bits: 24 })).rejects.toThrow(/exactly one of encode or createWriter/);
    await expect(renderStems(arrangement(), sources, { bits: 24, encode, rate: 44100 })).rejects.toThrow(/no resampler/);
    const r = await renderStems(arrangement(), sources, { bits: 24, encode, rate: 44100, resample: linearResampler });
    expect(r.rate).toBe(44100);
    expect(r.frames).toBe(18375); // 20000 · 44100/48000
  });
});
