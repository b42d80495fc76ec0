/** Stable codes for rejected edits; UI keys on them, so never rename one. */
export type EditErrorCode =
  | 'not-found' // a track or clip id that does not exist
  | 'duplicate-id' // a new track or clip id already in use
  | 'invalid-value' // a malformed field (NaN, non-integer frame, empty name, bad colour…)
  | 'out-of-range' // a well-formed value outside what the model allows (negative position, trim past the source…)
  | 'bad-edit'; // an edit that is not a known command or whose shape is wrong

/** The only error applyEdit and the history throw: a stable `code` and a human message naming the field. */
export class EditError extends Error {
  readonly code: EditErrorCode;
  constructor(code: EditErrorCode, message: string) {
    super(message);
    this.name = 'EditError';
    this.code = code;
  }
}
