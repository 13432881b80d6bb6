/*
 * Confidentiality clause (3.4.5): IP addresses and configurations are shown only to the service
 * company's people. This file is the one place that decides it; the API, the dashboard pages and
 * the reports all ask it (`app.redactorFor(role)`), so a new field is hidden everywhere or nowhere.
 * For a customer: no addresses in devices and reports, no threshold settings, every free text a
 * device or source produced (actual results, reasons, commands, component names, log lines,
 * ticket symptoms taken from them) with its addresses replaced, and report ids that may have been
 * built from an address shown as an alias (report-aliases.ts).
 */
import { HIDDEN, scrubAddresses } from '../../checks/index.js';
import type { Said } from '../../schemas/index.js';
import { OPAQUE_REPORT_ID, type ReportIdMap } from './report-aliases.js';

/** Roles that may see addresses and configuration: the service company's engineers and admins. */
export const maySeeConfiguration = (role: string): boolean => role === 'admin' || role === 'engineer';

export { HIDDEN, scrubAddresses };

interface WithAddresses {
  addresses: string[];
}
interface WithThresholds {
  thresholds: unknown;
}
interface WithCommand {
  command?: string;
  reason?: string;
  why?: Said;
}
interface ComponentLike extends WithCommand {
  component: string;
  actual: string;
}
interface ResultLike {
  actual: string;
  commands: string[];
  reason?: string;
  why?: Said;
  components: ComponentLike[];
}
interface MeasurementLike {
  command: string;
  component: string;
  value: unknown;
}
interface RowLike {
  actual: string;
  commands: string[];
  reason: string | null;
  why?: Said;
  reportId: string | null;
}

/** What a role may see of each kind of record; for engineers and admins every method is the identity. */
export interface Redactor {
  readonly showsConfiguration: boolean;
  text(s: string): string;
  /** A stored report's id as this reader may see it (an alias when it may hold an address). */
  reportId(id: string): string;
  /** Equipment record: no addresses, no threshold settings. */
  device<T extends WithAddresses & Partial<WithThresholds>>(d: T): T;
  /** Site settings: no threshold settings. */
  site<T extends Partial<WithThresholds>>(s: T): T;
  /** A check result: actual text, commands, reasons and components without addresses. */
  result<T extends ResultLike>(r: T): T;
  /** A stored result as the API shows it (`{ report, result, … }`): its report id and its result. */
  storedResult<T extends { report: string; result: ResultLike }>(r: T): T;
  /** A report: its id, identity without addresses, gap commands and reasons without addresses. */
  report<T extends { id: string; identity: WithAddresses; gaps: WithCommand[] }>(r: T): T;
  measurement<T extends MeasurementLike>(m: T): T;
  /** An inspection row: actual text, commands and reason without addresses; its report id. */
  row<T extends RowLike>(r: T): T;
  /** A ticket: its symptom (often a device's reason) and suspected cause without addresses. */
  ticket<T extends { symptom: string; suspectedCause: string | null }>(t: T): T;
}

const same = <T>(x: T): T => x;
const OPEN: Redactor = {
  showsConfiguration: true,
  text: same,
  reportId: same,
  device: same,
  site: same,
  result: same,
  storedResult: same,
  report: same,
  measurement: same,
  row: same,
  ticket: same,
};

/** What was said, its words (a source's message names the host it could not reach) without addresses. */
function scrubSaid(s: Said): Said {
  const arg = (a: Said['args'][number]): Said['args'][number] =>
    typeof a === 'string' ? scrubAddresses(a) : Array.isArray(a) ? a.map(scrubSaid) : a !== null && typeof a === 'object' ? scrubSaid(a) : a;
  return { key: s.key, args: s.args.map(arg) };
}
const scrubbedWhy = (why: Said | undefined) => (why !== undefined ? { why: scrubSaid(why) } : {});

const scrubbed = <T extends WithCommand>(c: T): T => ({
  ...c,
  ...(c.command !== undefined ? { command: scrubAddresses(c.command) } : {}),
  ...(c.reason !== undefined ? { reason: scrubAddresses(c.reason) } : {}),
  ...scrubbedWhy(c.why),
});

/** Without an alias map an id that is not opaque cannot be shown at all. */
const NO_ALIASES = (id: string): string => (OPAQUE_REPORT_ID.test(id) ? id : HIDDEN);

function closed(ids?: ReportIdMap): Redactor {
  const reportId = ids ? (id: string) => ids.shown(id) : NO_ALIASES;
  const result = <T extends ResultLike>(r: T): T => ({
    ...r,
    actual: scrubAddresses(r.actual),
    commands: r.commands.map(scrubAddresses),
    ...(r.reason !== undefined ? { reason: scrubAddresses(r.reason) } : {}),
    ...scrubbedWhy(r.why),
    components: r.components.map((c) => ({ ...scrubbed(c), component: scrubAddresses(c.component), actual: scrubAddresses(c.actual) })),
  });
  return {
    showsConfiguration: false,
    text: scrubAddresses,
    reportId,
    device: (d) => ({ ...d, addresses: [], ...('thresholds' in d ? { thresholds: null } : {}) }),
    site: (s) => ({ ...s, ...('thresholds' in s ? { thresholds: null } : {}) }),
    result,
    storedResult: (r) => ({ ...r, report: reportId(r.report), result: result(r.result) }),
    report: (r) => ({ ...r, id: reportId(r.id), identity: { ...r.identity, addresses: [] }, gaps: r.gaps.map(scrubbed) }),
    measurement: (m) => ({
      ...m,
      command: scrubAddresses(m.command),
      component: scrubAddresses(m.component),
      ...(typeof m.value === 'string' ? { value: scrubAddresses(m.value) } : {}),
    }),
    row: (r) => ({
      ...r,
      actual: scrubAddresses(r.actual),
      commands: r.commands.map(scrubAddresses),
      reason: r.reason === null ? null : scrubAddresses(r.reason),
      ...scrubbedWhy(r.why),
      reportId: r.reportId === null ? null : reportId(r.reportId),
    }),
    ticket: (t) => ({ ...t, symptom: scrubAddresses(t.symptom), suspectedCause: t.suspectedCause === null ? null : scrubAddresses(t.suspectedCause) }),
  };
}

/**
 * The redactor for a role (a token's or a dashboard user's). Routes use `app.redactorFor(role)`,
 * which brings the collector's report id aliases; without them an id that may hold an address
 * reads `[hidden]`.
 */
export const redactorFor = (role: string, ids?: ReportIdMap): Redactor => (maySeeConfiguration(role) ? OPEN : closed(ids));
