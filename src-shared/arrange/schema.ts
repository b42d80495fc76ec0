/**
 * Zod schemas for arrangement JSON and edits arriving from outside (IPC, the database, a history
 * file). They check shape only; applyEdit checks meaning (ids exist, trims fit the source…).
 */
import { z } from 'zod';
import { EditError } from './errors';
import type { Arrangement, Clip, Track } from './model';
import type { Edit } from './edits';

const frames = z.number().int().nonnegative();
const id = z.string().min(1).max(200);

export const SourceRefSchema = z.object({ kind: z.enum(['take', 'sample']), id });

export const ClipSchema = z.object({
  id,
  source: SourceRefSchema,
  sourceLength: frames,
  position: frames,
  sourceOffset: frames,
  length: frames,
  fadeIn: frames,
  fadeOut: frames,
  gainDb: z.number(),
}) satisfies z.ZodType<Clip>;

export const TrackSchema = z.object({
  id,
  name: z.string(),
  colour: z.string(),
  gainDb: z.number(),
  pan: z.number(),
  mute: z.boolean(),
  solo: z.boolean(),
  clips: z.array(ClipSchema),
}) satisfies z.ZodType<Track>;

const TimeSignatureSchema = z.object({ numerator: z.number().int(), denominator: z.number().int() });
const LoopSchema = z.object({ start: frames, end: frames }).nullable();

export const ArrangementSchema = z.object({
  sampleRate: z.number().int().positive(),
  tempo: z.number(),
  timeSignature: TimeSignatureSchema,
  loop: LoopSchema,
  tracks: z.array(TrackSchema),
}) satisfies z.ZodType<Arrangement>;

const index = z.number().int().nonnegative().optional();

export const EditSchema: z.ZodType<Edit> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('addTrack'), track: TrackSchema, index }),
    z.object({ type: z.literal('removeTrack'), trackId: id }),
    z.object({ type: z.literal('moveTrack'), trackId: id, index: z.number().int().nonnegative() }),
    z.object({ type: z.literal('renameTrack'), trackId: id, name: z.string() }),
    z.object({ type: z.literal('setTrack'), trackId: id, props: TrackSchema.omit({ id: true, clips: true }).partial().strict() }),
    z.object({ type: z.literal('addClip'), trackId: id, clip: ClipSchema, index }),
    z.object({ type: z.literal('addClips'), items: z.array(z.object({ trackId: id, clip: ClipSchema, index })).min(1) }),
    z.object({ type: z.literal('removeClips'), clipIds: z.array(id).min(1) }),
    z.object({ type: z.literal('moveClip'), clipId: id, position: z.number().int(), trackId: id.optional(), index }),
    z.object({ type: z.literal('trimStart'), clipId: id, start: z.number().int() }),
    z.object({ type: z.literal('trimEnd'), clipId: id, end: z.number().int() }),
    z.object({ type: z.literal('setFades'), clipId: id, fadeIn: frames.optional(), fadeOut: frames.optional() }),
    z.object({ type: z.literal('setClip'), clipId: id, props: ClipSchema.pick({ position: true, sourceOffset: true, length: true, fadeIn: true, fadeOut: true, gainDb: true }).partial().strict() }),
    z.object({ type: z.literal('splitClip'), clipId: id, at: z.number().int(), newClipId: id }),
    z.object({ type: z.literal('duplicateClips'), clipIds: z.array(id).min(1), newClipIds: z.array(id).min(1), offset: z.number().int().optional() }),
    z.object({ type: z.literal('setTempo'), tempo: z.number() }),
    z.object({ type: z.literal('setTimeSignature'), timeSignature: TimeSignatureSchema }),
    z.object({ type: z.literal('setLoop'), loop: LoopSchema }),
    z.object({ type: z.literal('batch'), edits: z.array(EditSchema).min(1) }),
  ]),
) as z.ZodType<Edit>;

/** Parses untrusted JSON into an Edit, throwing EditError('bad-edit') naming the first problem. */
export function parseEdit(json: unknown): Edit {
  const r = EditSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new EditError('bad-edit', `edit is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

/** Parses untrusted JSON into an Arrangement shape (call validateArrangement for meaning). */
export function parseArrangement(json: unknown): Arrangement {
  const r = ArrangementSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new EditError('invalid-value', `arrangement is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}
