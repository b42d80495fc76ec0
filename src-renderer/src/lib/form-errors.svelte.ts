/**
 * Backend validation errors mapped onto a form: each error goes next to the field it names, or to
 * the form as a whole when the form has no such field. Paths are matched by prefix so `paths.0`
 * lands on `paths` and `config.stacks` on `config.stacks` (or on `config` if that is all there is).
 */
import { toShownError } from './errors';

export class FormErrors {
  fields = $state<Record<string, string>>({});
  form = $state<string | null>(null);

  constructor(private readonly knownFields: () => readonly string[]) {}

  get any(): boolean {
    return this.form !== null || Object.keys(this.fields).length > 0;
  }

  clear(): void {
    this.fields = {};
    this.form = null;
  }

  clearField(field: string): void {
    if (field in this.fields) {
      const { [field]: _removed, ...rest } = this.fields;
      this.fields = rest;
    }
  }

  /** Records `err`; returns the field it was attached to (for focusing), or null for a form error. */
  show(err: unknown): string | null {
    const shown = toShownError(err);
    this.clear();
    const target = shown.field ? this.matchField(shown.field) : null;
    if (target) this.fields = { [target]: shown.message };
    else this.form = shown.message;
    return target;
  }

  private matchField(path: string): string | null {
    const known = this.knownFields();
    let candidate = path;
    for (;;) {
      if (known.includes(candidate)) return candidate;
      const cut = candidate.lastIndexOf('.');
      if (cut < 0) return null;
      candidate = candidate.slice(0, cut);
    }
  }
}
