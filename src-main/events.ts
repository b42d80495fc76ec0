import type { EventName, EventPayload } from '../src-preload/contract';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** Fan-out of contract events from services to every connected transport. */
export class EventBus {
  private listeners = new Set<EventListener>();

  /** Publishes an event to all subscribers; a failing subscriber does not stop the others. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch (err) {
        console.error(`event listener failed for ${name}:`, err);
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
