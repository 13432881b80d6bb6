import { stripUnsafe, type Gap, type Measurement, type Report } from '../../schemas/index.js';

/** What a stripped field is flagged with, so the record shows that the device's words were altered. */
export const STRIPPED_FLAG = '[collector: control/bidi characters removed from the device output]';

const flagged = (text: string | undefined) => (text ? `${text} ${STRIPPED_FLAG}` : STRIPPED_FLAG).slice(-2000);

/**
 * A device's own output (measured values, component names, log lines, reasons, identity strings)
 * is what it said, and a record must show it — but never a NUL, a terminal escape or a U+202E that
 * turns `ok` text around on the signed page. Such characters are removed, and the measurement or
 * gap that carried them says so. Names that are keys (site, hostname) are not cleaned here: the
 * schema refuses them with a 400 before ingest.
 *
 * Returns the same report object when nothing was removed (the common case costs one regex test
 * per string).
 */
export function cleanDeviceText(report: Report): { report: Report; stripped: number } {
  if (!carriesUnsafe(report)) return { report, stripped: 0 };
  let stripped = 0;
  const clean = (s: string, multiline = false): string => {
    const out = stripUnsafe(s, multiline);
    if (out !== s) stripped++;
    return out;
  };
  const measurements = report.measurements.map((m): Measurement => {
    const before = stripped;
    const value = typeof m.value === 'string' ? clean(m.value, true) : m.value;
    const next: Measurement = {
      ...m,
      component: clean(m.component) || '(unprintable)',
      metric: clean(m.metric) || '(unprintable)',
      value,
      command: clean(m.command) || '(unprintable)',
      ...(m.unit !== undefined ? { unit: clean(m.unit) } : {}),
      ...(m.kind !== undefined ? { kind: clean(m.kind) } : {}),
      ...(m.detail !== undefined ? { detail: clean(m.detail, true) } : {}),
    };
    if (stripped === before) return m;
    return { ...next, detail: flagged(next.detail) };
  });
  const gaps = (report.gaps ?? []).map((g): Gap => {
    const before = stripped;
    const next: Gap = {
      ...g,
      reason: clean(g.reason, true),
      ...(g.component !== undefined ? { component: clean(g.component) || '(unprintable)' } : {}),
      ...(g.command !== undefined ? { command: clean(g.command) } : {}),
    };
    if (stripped === before) return g;
    return { ...next, reason: flagged(next.reason) };
  });
  const id = report.identity;
  const identity = {
    ...id,
    ...(id.role !== undefined ? { role: clean(id.role) } : {}),
    ...(id.vendor !== undefined ? { vendor: clean(id.vendor) } : {}),
    ...(id.model !== undefined ? { model: clean(id.model) } : {}),
    ...(id.serial !== undefined ? { serial: clean(id.serial) } : {}),
    ...(id.os !== undefined ? { os: clean(id.os) } : {}),
    ...(id.version !== undefined ? { version: clean(id.version) } : {}),
    addresses: (id.addresses ?? []).map((a) => clean(a)),
  };
  return { report: { ...report, identity, measurements, gaps }, stripped };
}

const unsafe = (s: string | undefined, multiline = false) => s !== undefined && stripUnsafe(s, multiline) !== s;

/** The scan without building anything: a clean report (nearly all) allocates nothing here. */
function carriesUnsafe(r: Report): boolean {
  for (const m of r.measurements) {
    if (unsafe(m.component) || unsafe(m.metric) || unsafe(m.command) || unsafe(m.unit) || unsafe(m.kind) || unsafe(m.detail, true)) return true;
    if (typeof m.value === 'string' && unsafe(m.value, true)) return true;
  }
  for (const g of r.gaps ?? []) if (unsafe(g.reason, true) || unsafe(g.component) || unsafe(g.command)) return true;
  const id = r.identity;
  return [id.role, id.vendor, id.model, id.serial, id.os, id.version, ...(id.addresses ?? [])].some((s) => unsafe(s));
}
