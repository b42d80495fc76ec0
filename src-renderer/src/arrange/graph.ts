/**
 * The Tone.js audio graph of an arrangement, built the way src-main/export/PREVIEW.md says so it
 * equals the export: per piece a buffer source → envelope gain (clip gain × linear fades) → its own
 * Panner with the source's channel count → the track's Volume (track gain) → destination. Muted or
 * un-soloed tracks get no pieces at all (planPieces), which is what isAudible means.
 */
import * as Tone from 'tone';
import type { Arrangement, SourceRef } from '../../../src-shared/arrange/model';
import type { Piece, Segment } from './schedule';

/** Decoded sources at the context's rate, at most two channels (the export keeps channels 0 and 1). */
export type BufferLookup = (ref: SourceRef) => AudioBuffer | undefined;

/** The nodes playing one piece, so a stop or a reschedule can silence and free them. */
export interface PlayingPiece {
  source: Tone.ToneBufferSource;
  nodes: Tone.ToneAudioNode[];
  /** Context time the piece ends. */
  end: number;
}

/** One Volume per track (its gain in dB, Tone's dbToGain = laws.ts' dbToGain), into `destination`. */
export function createTrackVolumes(context: Tone.BaseContext, arr: Arrangement, destination: Tone.InputNode): Tone.Volume[] {
  return arr.tracks.map((t) => new Tone.Volume({ context, volume: t.gainDb }).connect(destination));
}

/** Context time of a timeline frame inside `segment`. */
export function timeOfFrame(segment: Segment, rate: number, frame: number): number {
  return segment.time + (frame - segment.from) / rate;
}

/**
 * Schedules one piece inside `segment`. Times are computed from frames as `frame / rate` offsets so
 * that, in a context running at the arrangement rate, clip edges and ramp corners land on frames.
 */
export function schedulePiece(
  context: Tone.BaseContext,
  piece: Piece,
  buffer: AudioBuffer,
  track: Tone.Volume,
  pan: number,
  segment: Segment,
  rate: number,
): PlayingPiece {
  const start = timeOfFrame(segment, rate, piece.at);
  const envelope = new Tone.Gain({ context, gain: 0 });
  const [first, ...rest] = piece.gain;
  envelope.gain.setValueAtTime(first.value, timeOfFrame(segment, rate, first.frame));
  for (const p of rest) envelope.gain.linearRampToValueAtTime(p.value, timeOfFrame(segment, rate, p.frame));
  // Tone's default channelCount of 1 would fold a stereo source to mono; the export pans stereo
  // sources with the balance law, which is what a 2-channel StereoPannerNode does.
  const panner = new Tone.Panner({ context, pan, channelCount: Math.min(2, buffer.numberOfChannels) });
  const source = new Tone.ToneBufferSource({ context, url: new Tone.ToneAudioBuffer(buffer) });
  source.chain(envelope, panner, track);
  const duration = piece.length / rate;
  source.start(start, piece.offset / rate, duration);
  return { source, nodes: [source, envelope, panner], end: start + duration };
}

/** Silences a piece at `time` (sample-accurately, through the source's own gate) and, online, frees it a bit later. */
export function stopPiece(context: Tone.BaseContext, playing: PlayingPiece, time: number): void {
  if (playing.end > time) playing.source.stop(Math.max(time, context.currentTime));
  // Disconnecting is immediate, not scheduled: in an offline render it would remove the node for
  // the whole render, so only free nodes in a live context, after the stop has taken effect.
  if (!context.isOffline) context.setTimeout(() => playing.nodes.forEach((n) => n.dispose()), Math.max(0.05, time - context.currentTime + 0.2));
}
