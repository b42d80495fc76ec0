/** Turns whatever a failed call threw into something a person can read, keeping the offending field. */
import { WavehouseError } from '../../../src-preload/client';

export interface ShownError {
  message: string;
  /** The input field the backend blamed (e.g. `name`, `config.stacks`, `paths.0`). */
  field?: string;
  code?: string;
}

export function toShownError(err: unknown): ShownError {
  if (err instanceof WavehouseError) {
    // The backend prefixes validation messages with the field ("name: a name is required");
    // next to the field itself that prefix is noise.
    const message = err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
    return { message: capitalise(message), field: err.field, code: err.code };
  }
  if (err instanceof Error) return { message: capitalise(err.message) };
  return { message: String(err) };
}

function capitalise(text: string): string {
  return text.length ? text[0].toUpperCase() + text.slice(1) : text;
}
