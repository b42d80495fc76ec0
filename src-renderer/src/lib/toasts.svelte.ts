/** Transient notifications; errors stay longer and are announced assertively. */
import { toShownError } from './errors';

export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  detail?: string;
  /** One follow-up the toast offers, e.g. "Show 3 failed" after an import. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run: () => void;
}

const LIFETIME_MS: Record<ToastKind, number> = { info: 4000, success: 4000, error: 9000 };

export class Toasts {
  items = $state<Toast[]>([]);
  #nextId = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(kind: ToastKind, title: string, detail?: string, action?: ToastAction): number {
    const id = this.#nextId++;
    // Keep the stack short: a burst of failures should not bury the screen.
    this.items = [...this.items.slice(-3), { id, kind, title, detail, action }];
    // A toast with an action stays longer: it takes a moment to decide to click it.
    this.#timers.set(id, setTimeout(() => this.dismiss(id), action ? LIFETIME_MS[kind] * 2.5 : LIFETIME_MS[kind]));
    return id;
  }

  info(title: string, detail?: string): number {
    return this.show('info', title, detail);
  }

  success(title: string, detail?: string): number {
    return this.show('success', title, detail);
  }

  /** Shows a failed call: `action` says what the user was trying to do. */
  error(action: string, err: unknown): number {
    return this.show('error', action, toShownError(err).message);
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
