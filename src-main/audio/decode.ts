import decodeWithPackage from 'audio-decode';
import { probeAiff, probeFlac, probeMp3, probeOgg, type HeaderInfo } from './headers';
import { describeNonAudio, id3v2Length, sniffContainer } from './sniff';
import { AudioDecodeError, NeedMoreBytes, type AudioInfo, type DecodeOptions, type DecodedAudio } from './types';
import { decodeWav, probeWav } from './wav';
import { clampToUnit, clampWarnings } from './clamp';
import { contentWarnings } from './content';

/**
 * Header-only probe of any supported format (WAV, RF64, AIFF, FLAC, MP3, Ogg), sniffed from magic bytes.
 * `bytes` may be only the head of a file of `totalLength` bytes (for Ogg, head and tail joined); if that
 * is not enough it throws NeedMoreBytes, which probeAudioFile handles by reading more.
 */
export function probeAudio(bytes: Uint8Array, totalLength = bytes.length): AudioInfo {
  const { declaredFrames: _, ...info } = probeHeader(bytes, totalLength);
  return info;
}

function probeHeader(bytes: Uint8Array, totalLength = bytes.length): HeaderInfo {
  return guard(() => {
    const c = container(bytes);
    switch (c) {
      case 'wav':
      case 'rf64': {
        const info = probeWav(bytes, totalLength);
        return { ...info, declaredFrames: info.frames };
      }
      case 'aiff':
        return probeAiff(bytes, totalLength);
      case 'flac':
        return probeFlac(bytes);
      case 'ogg':
        return probeOgg(bytes);
      case 'mp3':
        return probeMp3(bytes);
    }
  });
}

/**
 * Decodes any supported format to planar float in [-1, 1]; WAV by our decoder, the rest through
 * audio-decode. Its warnings say what was recovered or assumed, and flag silent, DC-only and
 * full-scale content.
 */
export async function decodeAudio(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  const audio = await decodeAny(bytes, opts);
  const content = contentWarnings(audio.data);
  return content.length ? { ...audio, warnings: [...audio.warnings, ...content] } : audio;
}

async function decodeAny(bytes: Uint8Array, opts: DecodeOptions): Promise<DecodedAudio> {
  const c = container(bytes);
  if (c === 'wav' || c === 'rf64') return decodeWav(bytes, opts);
  const { declaredFrames: declared, ...info } = probeHeader(bytes); // validates the header and gives what the package does not (bit depth, length)
  let result: { channelData: Float32Array[]; sampleRate: number };
  try {
    // Taggers sometimes put ID3v2 in front of FLAC; the package only recognises a bare 'fLaC'.
    result = await decodeWithPackage(c === 'flac' ? bytes.subarray(id3v2Length(bytes)) : bytes);
  } catch (e) {
    throw new AudioDecodeError('decoder-failed', `the ${c.toUpperCase()} decoder rejected the stream: ${(e as Error)?.message ?? String(e)}`);
  }
  const data = result?.channelData ?? [];
  const frames = data[0]?.length ?? 0;
  // audio-decode does not throw on corrupt or cut streams: it returns nothing, or less than declared.
  if (frames === 0 || !(result.sampleRate > 0))
    throw new AudioDecodeError('decoder-failed', `the ${c.toUpperCase()} decoder produced no audio (corrupt or cut-short stream)`);
  const warnings = [...info.warnings];
  // Lossy streams lose or gain a frame's worth at the edges (encoder delay/padding), so allow slack there.
  const slack = info.format === 'lossy' ? 4608 : 0;
  const truncated = declared !== null && frames + slack < declared;
  if (truncated) {
    const reason = `decoded ${frames} of ${declared} declared frames; the stream is cut short or damaged`;
    if (opts.strict) throw new AudioDecodeError('truncated', reason);
    warnings.push({ code: 'truncated', message: `${reason}; what was decoded was kept` });
  }
  if (result.sampleRate !== info.sampleRate)
    warnings.push({ code: 'rate-mismatch', message: `the header says ${info.sampleRate} Hz but the decoder gave ${result.sampleRate} Hz; the decoder's rate was used` });
  if (c === 'flac') rescaleFlac(data, info.bitDepth);
  warnings.push(...clampWarnings(clampToUnit(data), 'decoded samples'));
  return { ...info, sampleRate: result.sampleRate, channels: data.length, frames, data, truncated, warnings };
}

function container(bytes: Uint8Array): NonNullable<ReturnType<typeof sniffContainer>> {
  if (bytes.length === 0) throw new AudioDecodeError('empty', 'the file is empty (0 bytes)');
  const c = sniffContainer(bytes);
  if (c) return c;
  // A RIFF/RF64 head cut before its form type: a WAV cut short, not some other RIFF file.
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < 12 && (head === 'RIFF' || head === 'RF64' || head === 'BW64'))
    throw new AudioDecodeError('truncated', `the file is ${bytes.length} bytes, shorter than the 12-byte ${head} header`);
  const what = describeNonAudio(bytes);
  if (what) throw new AudioDecodeError('not-audio', `this is ${what}, not audio`);
  const hex = Array.from(bytes.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  throw new AudioDecodeError('unknown-format', `not a WAV, AIFF, FLAC, MP3 or Ogg file (starts with bytes ${hex})`);
}


/**
 * The FLAC decoder divides by 2^(b−1)−1 (so −32768 comes out as −1.00003); we scale by 2^(b−1) like every
 * other format here. Multiplying back recovers the exact integers (float32 error < 0.5 LSB up to 24 bits).
 */
function rescaleFlac(data: Float32Array[], bits: number): void {
  if (!(bits >= 2 && bits <= 32)) return;
  const up = 2 ** (bits - 1) - 1;
  const down = 1 / 2 ** (bits - 1);
  for (const o of data) for (let i = 0; i < o.length; i++) o[i] = Math.round(o[i] * up) * down;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AudioDecodeError || e instanceof NeedMoreBytes) throw e;
    throw new AudioDecodeError('bad-header', `unexpected fault reading the header: ${(e as Error)?.message ?? String(e)}`);
  }
}
