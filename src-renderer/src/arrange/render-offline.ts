/**
 * Renders an arrangement with Tone.js in an OfflineAudioContext at the arrangement rate, through
 * exactly the scheduling the live player uses (planPieces + schedulePiece). The preview-equals-
 * export test compares this with the backend's 32-bit float export.
 */
import * as Tone from 'tone';
import { arrangementEnd, type Arrangement } from '../../../src-shared/arrange/model';
import { createTrackVolumes, schedulePiece, type BufferLookup } from './graph';
import { planPieces } from './schedule';

/** Stereo channels [L, R] of the mixdown of [range.start, range.end) (default: the whole arrangement). */
export async function renderOffline(arr: Arrangement, buffers: BufferLookup, range = { start: 0, end: arrangementEnd(arr) }): Promise<Float32Array[]> {
  const frames = range.end - range.start;
  if (frames <= 0) return [new Float32Array(0), new Float32Array(0)];
  const context = new Tone.OfflineContext(new OfflineAudioContext(2, frames, arr.sampleRate));
  const volumes = createTrackVolumes(context, arr, context.destination);
  const segment = { from: range.start, to: range.end, time: 0 };
  for (const piece of planPieces(arr, range.start, range.end)) {
    const buffer = buffers(piece.source);
    if (!buffer) throw new Error(`renderOffline: source ${piece.source.kind}:${piece.source.id} is not loaded`);
    schedulePiece(context, piece, buffer, volumes[piece.trackIndex], arr.tracks[piece.trackIndex].pan, segment, arr.sampleRate);
  }
  const out = await context.render(false);
  const channels = [out.getChannelData(0), out.getChannelData(1)];
  context.dispose();
  return channels;
}
