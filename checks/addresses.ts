/*
 * IP addresses inside free text (a command, a reason, a log line). The service plan (3.4.5) keeps
 * addresses from customers: the collector's redactor (collector/users/confidential.ts) and the
 * field CLI's printable reports both replace them with this one function.
 */

export const HIDDEN = '[hidden]';

// Four dotted numbers, not part of a longer dotted run: an OID (1.3.6.1.2.1.2.2.1.8) is no address.
const IPV4 = /(?<![\d.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?!\.?\d)(?::\d{1,5})?/g;
// Full (eight groups) or compressed (with "::") IPv6; "10:00:00" (a time) is neither.
const IPV6 = /(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4})(?![\w:])/gi;

/** A free text (a command, a reason) with every IP address replaced. */
export function scrubAddresses(text: string): string {
  return text.replace(IPV6, (m) => (m.includes(':') && m.length > 2 ? HIDDEN : m)).replace(IPV4, HIDDEN);
}
