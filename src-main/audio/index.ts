// Public surface of the audio layer: pure functions over typed arrays, plus file probing.
export { AudioDecodeError } from './types';
export type { AudioCodec, AudioDecodeErrorCode, AudioInfo, AudioWarning, AudioWarningCode, DecodedAudio, DecodeOptions, SampleFormat } from './types';
export { contentWarnings } from './content';
export { decodeWav, probeWav } from './wav';
export { decodeAudio, probeAudio } from './decode';
export { sniffContainer } from './sniff';
export { probeAudioFile, walkAudioFiles, looksLikeAudioName, AUDIO_EXTENSIONS } from './probe';
export type { ProbeError, ProbeFileOptions, ProbeResult, WalkEntry, WalkErrorCode } from './probe';
export { createWavEncoder, encodeWav } from './wav-encode';
export type { BextInfo, EncodeWavOptions, WavBlockEncoder } from './wav-encode';
export { muLawDecode, muLawEncode } from '../../src-shared/audio/mulaw';
export type { MuLawClasses } from '../../src-shared/audio/mulaw';
export { computePeaks, mixToMono } from './peaks';
export type { Peaks } from './peaks';
export { resample, resampleChannels } from './resample';
export type { ResampleQuality } from './resample';
