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

/** Builds the dispatcher over the handlers; it never throws and never leaks a stack trace. */
export function createDispatcher(handlers: Handlers, { checkOutput = false } = {}): Dispatch {
  return async (name, input, ctx) => {
    if (!isCommandName(name)) {
      return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `unknown command: ${String(name).slice(0, 80)}` } };
    }
    const spec = commands[name];
    const parsed = spec.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) return { ok: false, error: validationError(parsed.error).toWire() };
    try {
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
