/**
 * The project's error hierarchy. Every error carries a stable `code`; the CLI turns it into one
 * clear line and an exit code, the API into a 4xx body. Specific sources add subclasses.
 */
export class XunjianError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export interface FieldIssue {
  /** JSON pointer of the offending field, e.g. `/measurements/3/value`. */
  path: string;
  message: string;
}

/** Input that does not match its schema. `issues` name each offending field. */
export class ValidationError extends XunjianError {
  readonly issues: FieldIssue[];
  constructor(what: string, issues: FieldIssue[]) {
    const shown = issues.slice(0, 5).map((i) => `${i.path || '/'}: ${i.message}`).join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    super('VALIDATION', `invalid ${what}: ${shown}${more}`);
    this.issues = issues;
  }
}

export function isXunjianError(e: unknown): e is XunjianError {
  return e instanceof XunjianError;
}
