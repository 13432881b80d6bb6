/*
 * The HMC's two output forms. Without -F each line is `attr=value,attr=value,…`; with
 * `-F a,b,c` each line holds those values only, in that order. Either way a value that holds the
 * delimiter is wrapped in double quotes — in the default form *with its attribute name*
 * (`"files=a.log/…,b.dat/…"`, as in IBM technote N1014321) — so fields are split on commas
 * outside quotes, never on every comma.
 */

/** One line's comma-separated fields, quotes honoured and removed. */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A default-form line as attribute → value; undefined when a field has no `=` (not this form). */
export function attributeLine(line: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const field of splitFields(line)) {
    const eq = field.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(field.slice(0, eq), field.slice(eq + 1));
  }
  return out;
}

/** A `-F` line as attribute → value by the asked-for order; undefined when the count differs. */
export function fieldLine(line: string, names: readonly string[]): Map<string, string> | undefined {
  const values = splitFields(line);
  if (values.length !== names.length) return undefined;
  return new Map(names.map((n, i) => [n, values[i]!.trim()]));
}

/** The HMC's "nothing matched" answer (`No results were found.`), which is not an error. */
export function isNoResults(text: string): boolean {
  return /^No results were found\.?$/i.test(text.trim());
}

/**
 * An HMC error message: `HSCLxxxx …` (the console's error codes) or its generic failure
 * sentence. Printed on standard output by some releases, so stdout is checked too.
 */
export function hmcError(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^HSC[LE]\w*\b|An unknown error occurred while trying to perform this command/i.test(l));
  return line;
}
