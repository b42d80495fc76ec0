/**
 * The one place where untrusted calls meet handlers: every transport passes (name, input) here;
 * the name is checked against the contract, the input parsed with its zod schema, and any failure
 * becomes a typed WireError.
 */
import { z } from 'zod';
import { commands, isCommandName, type CommandName, type CommandOutput, type ParsedInput, type Result } from '../../src-preload/contract';
import { AppError } from '../errors';

export interface CallContext {
  transport: 'electron' | 'websocket' | 'cli' | 'test';
}

/** One handler per command: the compiler rejects a contract command without a handler. */
export type Handlers = {
  [K in CommandName]: (input: ParsedInput<K>, ctx: CallContext) => CommandOutput<K> | Promise<CommandOutput<K>>;
};

export type Dispatch = (name: unknown, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  return issue.path.length ? issue.path.map(String).join('.') : undefined;
}

/** Converts a zod error into the contract's VALIDATION error, naming the first offending field. */
export function validationError(error: z.ZodError): AppError {
  const first = error.issues[0];
  const field = first ? fieldOf(first) : undefined;
  const message = first ? `${field ? `${field}: ` : ''}${first.message}` : 'invalid input';
  return new AppError('VALIDATION', message, field);
}

/** Deepest nesting of arrays and objects an input may have: far beyond any real edit batch, far below what overflows the stack of a recursive schema. */
export const MAX_INPUT_DEPTH = 64;

/** Whether a JSON-like value nests deeper than `max` (iterative, so a hostile value cannot overflow the stack here either). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Builds the dispatcher over the handlers; it never throws and never leaks a stack trace. */
export function createDispatcher(handlers: Handlers, { checkOutput = false } = {}): Dispatch {
  return async (name, input, ctx) => {
    if (!isCommandName(name)) {
      // Only a string is ever echoed: String() of a hostile object ({toString: "…"}) throws.
      const shown = typeof name === 'string' ? name.slice(0, 80) : `(a ${name === null ? 'null' : typeof name}, not a command name)`;
      return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `unknown command: ${shown}` } };
    }
    const spec = commands[name];
    if (nestsDeeperThan(input, MAX_INPUT_DEPTH)) {
      return { ok: false, error: { code: 'VALIDATION', message: `input nests deeper than ${MAX_INPUT_DEPTH} levels` } };
    }
    try {
      const parsed = spec.input.safeParse(input === undefined ? {} : input);
      if (!parsed.success) return { ok: false, error: validationError(parsed.error).toWire() };
      const handler = handlers[name] as (i: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      if (checkOutput) {
        const out = spec.output.safeParse(value);
        if (!out.success) {
          console.error(`handler ${name} returned a value that breaks the contract:`, out.error.issues);
          return { ok: false, error: { code: 'INTERNAL', message: `${name} produced an invalid result` } };
        }
      }
      return { ok: true, value };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, error: err.toWire() };
      if (err instanceof z.ZodError) return { ok: false, error: validationError(err).toWire() };
      console.error(`handler ${name} failed:`, err);
      return { ok: false, error: { code: 'INTERNAL', message: `${name} failed: ${err instanceof Error ? err.message : String(err)}` } };
    }
  };
}
