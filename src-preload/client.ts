/**
 * The typed client every caller uses: `client.invoke('projects.create', { name })` with input and
 * output types inferred from the contract, over any Bridge (Electron preload or WebSocket).
 */
import type { Bridge, CommandInput, CommandName, CommandOutput, ErrorCode, EventName, EventPayload, WireError } from './contract';

/** A contract error received from the backend, with its stable code and offending field. */
export class WavehouseError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  constructor(error: WireError) {
    super(error.message);
    this.name = 'WavehouseError';
    this.code = error.code;
    this.field = error.field;
  }
}

export interface Client {
  invoke<K extends CommandName>(name: K, input?: CommandInput<K>): Promise<CommandOutput<K>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/** Builds a typed client over a bridge; errors arrive as WavehouseError. */
export function createClient(bridge: Bridge): Client {
  return {
    async invoke(name, input) {
      const result = await bridge.invoke(name, input ?? {});
      if (!result.ok) throw new WavehouseError(result.error);
      return result.value as never;
    },
    on(event, handler) {
      return bridge.subscribe((name, payload) => {
        if (name === event) handler(payload as never);
      });
    },
  };
}
