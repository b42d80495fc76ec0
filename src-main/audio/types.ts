/** Container/codec a file was decoded from; `rf64` covers RF64 and BW64 (64-bit-size WAV). */
export type AudioCodec = 'wav' | 'rf64' | 'aiff' | 'flac' | 'mp3' | 'ogg';

/** Stored sample format: integer PCM, IEEE float, or a lossy codec (no meaningful bit depth). */
export type SampleFormat = 'pcm' | 'float' | 'lossy';

/** What a header says about a file, without its samples. */
export interface AudioInfo {
  sampleRate: number;
  channels: number;
  /** Valid bits per sample (e.g. 20 in a 24-bit container); 0 for lossy codecs. */
  bitDepth: number;
  format: SampleFormat;
  codec: AudioCodec;
  /** Sample frames; null when a header cannot tell without decoding (e.g. MP3 with no Xing/Info frame). */
  frames: number | null;
  /** Non-fatal problems found and what was recovered or assumed; empty when the file is clean. */
  warnings: AudioWarning[];
}

/**
 * Stable machine codes for what a decoder recovered from or assumed; the UI, the database and
 * `wavehouse import --json` key on these, so never rename one (add new ones).
 */
export type AudioWarningCode =
  | 'truncated' // the data ends before its declared length: what is present was read
  | 'riff-size-unset' // RIFF size 0 or 0xFFFFFFFF: chunks read to the end of the file
  | 'data-size-unset' // data size 0xFFFFFFFF: samples read to the end of the file
  | 'data-size-zero' // data size 0 with audio bytes after it: read to the end of the file
  | 'missing-pad-byte' // an odd-sized chunk without its pad byte: the next chunk was found one byte earlier
  | 'partial-frame' // the data ends inside a frame: the incomplete frame was dropped
  | 'trailing-data' // bytes after the audio that are not a chunk: ignored
  | 'chunk-overrun' // a chunk after fmt and data runs past the end of the file: ignored
  | 'fmt-overrun' // the fmt chunk declares more bytes than the file holds: its first bytes used
  | 'no-ds64' // an RF64 file without its ds64 chunk
  | 'block-align-assumed' // block align inconsistent (0, 65535…): computed from channels and bits
  | 'unusual-bit-depth' // bits per sample not a multiple of 8 in a plain header: read in whole-byte slots
  | 'rate-mismatch' // a third-party decoder's rate differs from the header's
  | 'non-finite' // NaN or ±Infinity samples: replaced by silence
  | 'out-of-range' // float samples beyond ±1: clipped to ±1
  | 'no-frames' // no complete sample frame at all
  | 'silent' // every sample is (near) digital silence
  | 'dc-only' // a constant offset with no signal
  | 'full-scale'; // long runs at full scale: clipped audio or a square wave

/** One thing a decoder recovered from or assumed: a stable code and one sentence for the user. */
export interface AudioWarning {
  code: AudioWarningCode;
  message: string;
}

/** Decoded audio: one Float32Array per channel, samples in [-1, 1]. */
export interface DecodedAudio extends AudioInfo {
  frames: number;
  data: Float32Array[];
  /** True when the data chunk/stream ended before its declared length and only what was present was decoded. */
  truncated: boolean;
}

/** Stable machine codes for decode failures; UI and DB key on these, so never rename one. */
export type AudioDecodeErrorCode =
  | 'empty' // zero bytes
  | 'not-audio' // recognisably something else (PNG, text, ZIP…)
  | 'unknown-format' // no known audio container in the magic bytes
  | 'unsupported-codec' // a known container holding a codec we do not decode (ADPCM, MP3-in-WAV…)
  | 'missing-fmt' // WAV without a fmt chunk
  | 'missing-data' // WAV without a data chunk
  | 'bad-header' // header fields impossible or inconsistent (zero channels, zero rate, bad block align…)
  | 'bad-chunk' // a chunk's declared size runs past the end of the file before the audio was found
  | 'truncated' // the file ends before the audio it declares (strict mode, or nothing decodable at all)
  | 'decoder-failed' // the third-party codec rejected the stream
  | 'read-failed' // the file could not be read (permissions, vanished, is a directory…)
  | 'too-large'; // larger than the caller's size limit

/** The only error type the audio decoders throw: a stable `code` plus a specific human `reason`. */
export class AudioDecodeError extends Error {
  readonly code: AudioDecodeErrorCode;
  readonly reason: string;
  constructor(code: AudioDecodeErrorCode, reason: string) {
    super(`${code}: ${reason}`);
    this.name = 'AudioDecodeError';
    this.code = code;
    this.reason = reason;
  }
}

/** Options shared by the decoders. */
export interface DecodeOptions {
  /** Throw `truncated` instead of decoding the part that is present. Default false. */
  strict?: boolean;
}

/** Internal signal from header probes given only the head of a file: read at least `needed` bytes and retry. */
export class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super(`header parsing needs ${needed} bytes`);
  }
}
