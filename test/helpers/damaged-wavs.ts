// Hand-built damaged and degenerate WAV files, each with the one warning code (or failure code) the
// import must report for it. Shared by the decoder's unit tests and the import's integration test.
import { chunk, concat, floatData, fmt, pcmData, riff, u32 } from '../unit/audio/wav-builder';

export interface DamagedWav {
  name: string;
  bytes: Uint8Array;
  /** The warning codes the decoder reports, in order. */
  warnings: string[];
  /** Set when the import must record the file as failed, with this code. */
  fails?: string;
  /** Frames the decoder reads. */
  frames: number;
}

const RATE = 8000;

/** n frames of a 440 Hz sine at half scale, as 16-bit integers. */
export function sine16(n: number, amp = 0.5): number[][] {
  return Array.from({ length: n }, (_, i) => [Math.round(amp * 32767 * Math.sin((2 * Math.PI * 440 * i) / RATE)) | 0]);
}

const fmt16 = fmt({ channels: 1, rate: RATE, bits: 16 });
const fmtF32 = fmt({ tag: 3, channels: 1, rate: RATE, bits: 32 });
const wavOf = (frames: number[][]) => riff([fmt16, chunk('data', pcmData(frames, 2))]);
const floats = (xs: number[]) => riff([fmtF32, chunk('data', floatData(xs.map((x) => [x]), 4))]);
const sineF = (n: number) => sine16(n).map(([v]) => v / 32768);
const withRiffSize = (b: Uint8Array, size: number) => concat(b.subarray(0, 4), u32(size), b.subarray(8));

/** One clean file and one file per warning the decoder knows how to give. */
export function damagedWavs(): DamagedWav[] {
  const clean = wavOf(sine16(800));
  const cleanData = pcmData(sine16(800), 2);
  return [
    { name: 'clean.wav', bytes: clean, warnings: [], frames: 800 },
    // 800 frames declared, 500 and a half present.
    { name: 'truncated.wav', bytes: clean.subarray(0, clean.length - 599), warnings: ['truncated'], frames: 500 },
    { name: 'riff-size-0.wav', bytes: withRiffSize(clean, 0), warnings: ['riff-size-unset'], frames: 800 },
    { name: 'riff-size-ffffffff.wav', bytes: withRiffSize(clean, 0xffffffff), warnings: ['riff-size-unset'], frames: 800 },
    { name: 'data-size-0.wav', bytes: riff([fmt16, chunk('data', cleanData, { declaredSize: 0 })]), warnings: ['data-size-zero'], frames: 800 },
    { name: 'data-size-ffffffff.wav', bytes: riff([fmt16, chunk('data', cleanData, { declaredSize: 0xffffffff })]), warnings: ['data-size-unset'], frames: 800 },
    {
      name: 'missing-pad.wav',
      bytes: riff([chunk('LIST', 'INFOabc', { noPad: true }), fmt16, chunk('data', cleanData)]),
      warnings: ['missing-pad-byte'],
      frames: 800,
    },
    {
      name: 'bits-7.wav',
      bytes: riff([fmt({ channels: 1, rate: RATE, bits: 7, blockAlign: 1 }), chunk('data', Uint8Array.from(sine16(800), ([v]) => 128 + (v >> 8)))]),
      warnings: ['unusual-bit-depth'],
      frames: 800,
    },
    { name: 'block-align-0.wav', bytes: riff([fmt({ channels: 1, rate: RATE, bits: 16, blockAlign: 0 }), chunk('data', cleanData)]), warnings: ['block-align-assumed'], frames: 800 },
    {
      name: 'block-align-65535.wav',
      bytes: riff([fmt({ channels: 1, rate: RATE, bits: 16, blockAlign: 65535 }), chunk('data', cleanData)]),
      warnings: ['block-align-assumed'],
      frames: 800,
    },
    { name: 'partial-frame.wav', bytes: riff([fmt16, chunk('data', concat(cleanData, Uint8Array.of(7)))]), warnings: ['partial-frame'], frames: 800 },
    { name: 'nan-inf.wav', bytes: floats([...sineF(400), NaN, Infinity, -Infinity, ...sineF(400)]), warnings: ['non-finite'], frames: 803 },
    { name: 'float-8.9.wav', bytes: floats([...sineF(400), 8.9, -8.9, ...sineF(400)]), warnings: ['out-of-range'], frames: 802 },
    { name: 'silence.wav', bytes: wavOf(Array.from({ length: 800 }, () => [0])), warnings: ['silent'], frames: 800 },
    { name: 'dc.wav', bytes: wavOf(Array.from({ length: 800 }, () => [16384])), warnings: ['dc-only'], frames: 800 },
    { name: 'square.wav', bytes: wavOf(Array.from({ length: 800 }, (_, i) => [(i >> 4) & 1 ? 32767 : -32768])), warnings: ['full-scale'], frames: 800 },
    { name: 'zero-frames.wav', bytes: riff([fmt16, chunk('data', new Uint8Array(0))]), warnings: ['no-frames'], fails: 'no-frames', frames: 0 },
  ];
}
