import type { CheckId, ComponentStatus, Gap, Measurement } from '../../../schemas/index.js';

/** What every parser is told about the text it reads: where it came from and when. */
export interface ParseContext {
  /** The exact command, file or OID that produced the text (becomes the form's 检查命令). */
  command: string;
  /** ISO time of the reading; stamped on every measurement unless the text carries its own. */
  at: string;
}

/** What every parser returns. Nothing measurable → a gap with the reason, never a fake value. */
export interface ParseResult {
  measurements: Measurement[];
  gaps: Gap[];
}

export function emptyResult(): ParseResult {
  return { measurements: [], gaps: [] };
}

/** Builds a measurement with the context's command and time; drops undefined optional fields. */
export function measurement(
  ctx: ParseContext,
  check: CheckId,
  component: string,
  metric: string,
  value: Measurement['value'],
  extra: Partial<Omit<Measurement, 'check' | 'component' | 'metric' | 'value'>> = {},
): Measurement {
  const m: Measurement = {
    check,
    component: clip(component, 200) || 'unnamed',
    metric,
    value: typeof value === 'string' ? clip(value, 4000) : value,
    command: clip(ctx.command, 1000),
    at: ctx.at,
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
  }
  if (m.detail !== undefined) m.detail = clip(m.detail, 2000);
  return m;
}

export function gap(ctx: ParseContext, check: CheckId, reason: string, component?: string): Gap {
  const g: Gap = { check, reason: clip(reason, 2000), command: clip(ctx.command, 1000) };
  if (component) g.component = clip(component, 200);
  return g;
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** One decimal place: what the form shows, and stable in golden files. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The worse of two component states (fault > warning > unknown > ok > absent). */
export function worse(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  const rank: Record<ComponentStatus, number> = { absent: 0, ok: 1, unknown: 2, warning: 3, fault: 4 };
  return rank[b] > rank[a] ? b : a;
}

export function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * Why a log's output is no answer, or undefined when it is one: lines, but none in the format of
 * the log's entries (a banner, a wrapper's error, a changed format). Counted as "0 entries" such
 * output would read as a clean log. No lines at all is the log's own "nothing since".
 */
export function unrecognisedLog(text: string, entryLine: RegExp): string | undefined {
  const shown = text.split('\n').filter((l) => l.trim());
  if (shown.length === 0 || shown.some((l) => entryLine.test(l))) return undefined;
  return `output not recognised as log entries (first line: "${clip(shown[0]!.trim(), 120)}")`;
}

/** Entry lines of the logs the sources read, for `unrecognisedLog`. */
export const LOG_LINE = {
  journalJson: /^\{|^-- cursor: /,
  syslog: /^(\w{3}\s+\d+\s+\d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d)/,
  dmesgIso: /\d{4}-\d\d-\d\dT\d\d:\d\d/,
  ipmiSel: /\||no entries/i,
} as const;
