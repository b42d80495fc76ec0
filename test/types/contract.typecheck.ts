/**
 * Compile-time tests (checked by `tsc --noEmit`, part of `npm test`): each @ts-expect-error line must
 * fail to compile, or tsc reports the directive as unused and the type-check step fails.
 */
import type { Client } from '../../src-preload/client';
import type { Handlers } from '../../src-main/transport/dispatch';

declare const client: Client;
declare const someHandlers: Omit<Handlers, 'projects.create'>;

// A handler table that lacks a contract command does not compile.
// @ts-expect-error 'projects.create' is missing
export const incomplete: Handlers = { ...someHandlers };

export async function callsAreTyped(): Promise<void> {
  const project = await client.invoke('projects.create', { name: 'Typed' });
  const id: string = project.id;
  void id;
  // @ts-expect-error unknown command names do not compile
  await client.invoke('projects.explode', {});
  // @ts-expect-error the input is checked against the contract's schema type
  await client.invoke('projects.create', { name: 42 });
  // @ts-expect-error outputs are typed too
  const wrong: number = (await client.invoke('projects.get', { id })).name;
  void wrong;
  client.on('job.updated', (job) => {
    // @ts-expect-error event payloads are typed
    const p: string = job.progress;
    void p;
  });
}
