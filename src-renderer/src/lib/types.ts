/**
 * The renderer's domain types, derived from the contract so they follow it when commands change.
 * Type-only imports: the contract's zod runtime stays out of the page bundle (zod probes `new Function`,
 * which the studio's CSP forbids).
 */
import type { CommandInput, CommandOutput, EventPayload } from '../../../src-preload/contract';

export type Project = CommandOutput<'projects.get'>;
export type Library = CommandOutput<'libraries.list'>[number];
export type Job = CommandOutput<'jobs.get'>;
export type Preset = Project['preset'];
export type ModelConfig = Project['config'];
export type CreateProjectInput = CommandInput<'projects.create'>;
export type DataChanged = EventPayload<'data.changed'>;
export type ConnectionStatus = 'connecting' | 'open' | 'closed';
