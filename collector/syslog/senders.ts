import { BlockList, isIP } from 'node:net';

/** Why a sender's messages were not attached to any device. */
export type Refusal = 'unknown' | 'ambiguous' | 'outside_site_networks' | 'rate_exceeded';

/** One site's claim on a sender address: a device or SNMP target of that site has it. */
export interface Claim<T> {
  site: string;
  dest: T;
  /** A person registered this address (an SNMP target): it outweighs addresses devices reported. */
  registered?: boolean;
}

/**
 * Which site a syslog sender belongs to. UDP source addresses can be forged and two customers
 * often use the same private ranges, so an address alone never crosses customers: with declared
 * site networks a claim counts only when the site's network holds the address; an address claimed
 * by two sites is ambiguous and attaches to neither. An address a person registered (an SNMP
 * target) outweighs the addresses devices listed in their reports.
 */
export class SiteNetworks {
  private readonly lists = new Map<string, BlockList>();

  constructor(sites: Record<string, { networks: string[] }> = {}) {
    for (const [site, { networks }] of Object.entries(sites)) {
      const list = new BlockList();
      for (const cidr of networks) {
        const [net, bits] = cidr.split('/') as [string, string];
        const family = isIP(net);
        if (!family) throw new Error(`syslog.sites.${site}.networks: ${cidr} is not an IPv4 or IPv6 network`);
        list.addSubnet(net, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      }
      this.lists.set(site, list);
    }
  }

  get declared(): boolean {
    return this.lists.size > 0;
  }

  holds(site: string, address: string): boolean {
    const family = isIP(address);
    return family !== 0 && (this.lists.get(site)?.check(address, family === 4 ? 'ipv4' : 'ipv6') ?? false);
  }

  /** The one claim to attach to, or why none. Claims are in preference order (targets first). */
  choose<T>(address: string, claims: readonly Claim<T>[]): { dest: T } | { refused: Refusal } {
    if (claims.length === 0) return { refused: 'unknown' };
    const inside = this.declared ? claims.filter((c) => this.holds(c.site, address)) : claims;
    if (inside.length === 0) return { refused: 'outside_site_networks' };
    const registered = inside.filter((c) => c.registered);
    const allowed = registered.length ? registered : inside;
    if (new Set(allowed.map((c) => c.site)).size > 1) return { refused: 'ambiguous' };
    return { dest: allowed[0]!.dest };
  }
}

export interface RefusedSender {
  address: string;
  reason: Refusal;
  messages: number;
  firstAt: string;
  lastAt: string;
}

const MAX_LISTED = 1000;

/** The senders whose messages were not attached, for the admin (bounded: the most recent 1000). */
export class RefusedSenders {
  private readonly byKey = new Map<string, RefusedSender>();

  note(address: string, reason: Refusal, now: Date): boolean {
    const key = `${reason} ${address}`;
    const seen = this.byKey.get(key);
    if (seen) {
      seen.messages++;
      seen.lastAt = now.toISOString();
      this.byKey.delete(key);
      this.byKey.set(key, seen); // most recent last
      return false;
    }
    if (this.byKey.size >= MAX_LISTED) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(key, { address, reason, messages: 1, firstAt: now.toISOString(), lastAt: now.toISOString() });
    return true;
  }

  list(): RefusedSender[] {
    return [...this.byKey.values()].reverse();
  }
}

/** A token bucket per sender: `rate` messages per second with a burst of 10 seconds' worth. */
export class SenderRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rate: number) {}

  allow(address: string, nowMs: number): boolean {
    const burst = this.rate * 10;
    let b = this.buckets.get(address);
    if (!b) {
      if (this.buckets.size >= 100_000) this.buckets.clear();
      this.buckets.set(address, (b = { tokens: burst, at: nowMs }));
    }
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * this.rate);
    b.at = nowMs;
    if (b.tokens < 1) return false;
    b.tokens--;
    return true;
  }
}
