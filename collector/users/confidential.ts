/*
 * Confidentiality clause (3.4.5): IP addresses and configurations are shown only to the service
 * company's people. This file is the one place that decides it; the API, the dashboard pages and
 * the reports all ask it, so a new field is hidden everywhere or nowhere.
 */

/** Roles that may see addresses and configuration: the service company's engineers and admins. */
export const maySeeConfiguration = (role: string): boolean => role === 'admin' || role === 'engineer';

export const HIDDEN = '[hidden]';

// Four dotted numbers, not part of a longer dotted run: an OID (1.3.6.1.2.1.2.2.1.8) is no address.
const IPV4 = /(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?!\.?\d)(?::\d{1,5})?/g;
// Full (eight groups) or compressed (with "::") IPv6; "10:00:00" (a time) is neither.
const IPV6 = /(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4})(?![\w:])/gi;

/** A free text (a command, a reason) with every IP address replaced. */
export function scrubAddresses(text: string): string {
  return text.replace(IPV6, (m) => (m.includes(':') && m.length > 2 ? HIDDEN : m)).replace(IPV4, HIDDEN);
}

interface WithAddresses {
  addresses: string[];
}
interface WithThresholds {
  thresholds: unknown;
}
interface WithCommand {
  command?: string;
  reason?: string;
}
interface ResultLike {
  commands: string[];
  reason?: string;
  components: WithCommand[];
}

/** What a role may see of each kind of record; for engineers and admins every method is the identity. */
export interface Redactor {
  readonly showsConfiguration: boolean;
  text(s: string): string;
  /** Equipment record: no addresses, no threshold settings. */
  device<T extends WithAddresses & Partial<WithThresholds>>(d: T): T;
  /** Site settings: no threshold settings. */
  site<T extends Partial<WithThresholds>>(s: T): T;
  /** A check result: commands, reasons and components without addresses. */
  result<T extends ResultLike>(r: T): T;
  /** A report: identity without addresses, gap commands without addresses. */
  report<T extends { identity: WithAddresses; gaps: WithCommand[] }>(r: T): T;
  measurement<T extends { command: string }>(m: T): T;
  /** An inspection row: commands and reason without addresses. */
  row<T extends { commands: string[]; reason: string | null }>(r: T): T;
}

const same = <T>(x: T): T => x;
const OPEN: Redactor = { showsConfiguration: true, text: same, device: same, site: same, result: same, report: same, measurement: same, row: same };

const scrubbed = <T extends WithCommand>(c: T): T => ({
  ...c,
  ...(c.command !== undefined ? { command: scrubAddresses(c.command) } : {}),
  ...(c.reason !== undefined ? { reason: scrubAddresses(c.reason) } : {}),
});

const CLOSED: Redactor = {
  showsConfiguration: false,
  text: scrubAddresses,
  device: (d) => ({ ...d, addresses: [], ...('thresholds' in d ? { thresholds: null } : {}) }),
  site: (s) => ({ ...s, ...('thresholds' in s ? { thresholds: null } : {}) }),
  result: (r) => ({
    ...r,
    commands: r.commands.map(scrubAddresses),
    ...(r.reason !== undefined ? { reason: scrubAddresses(r.reason) } : {}),
    components: r.components.map(scrubbed),
  }),
  report: (r) => ({ ...r, identity: { ...r.identity, addresses: [] }, gaps: r.gaps.map(scrubbed) }),
  measurement: (m) => ({ ...m, command: scrubAddresses(m.command) }),
  row: (r) => ({ ...r, commands: r.commands.map(scrubAddresses), reason: r.reason === null ? null : scrubAddresses(r.reason) }),
};

/** The redactor for a role (a token's or a dashboard user's). */
export const redactorFor = (role: string): Redactor => (maySeeConfiguration(role) ? OPEN : CLOSED);
