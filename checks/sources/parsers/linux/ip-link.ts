import type { ComponentStatus } from '../../../../schemas/index.js';
import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../types.js';

/**
 * Interface names that are software, not a port with a cable: container and VM plumbing,
 * tunnels, bridges made by hypervisors. Their link state is not a hardware module's state.
 */
export const VIRTUAL_INTERFACE = /^(lo|veth|docker|br-|virbr|vnet|tun|tap|cni|flannel|cali|kube-|ifb|dummy|vxlan|genev|wg|tailscale|zt|lxc|lxd|podman|weave|gre|sit|ip6tnl|ip_vti|erspan|nlmon)/;

export interface LinkState {
  name: string;
  adminUp: boolean;
  operstate: string;
  lowerUp: boolean;
  loopback: boolean;
}

/** Admin-up, non-virtual interfaces → SXKR-003 module.state; link down on an up port is a fault. */
export function linkMeasurementStatus(link: LinkState): ComponentStatus {
  const s = link.operstate.toUpperCase();
  if (s === 'UP') return 'ok';
  if (s === 'DOWN' || s === 'LOWERLAYERDOWN' || s === 'NOTPRESENT') return 'fault';
  if (s === 'DORMANT' || s === 'TESTING') return 'warning';
  // UNKNOWN: drivers that do not report operstate; trust the carrier flag.
  return link.lowerUp ? 'ok' : 'unknown';
}

export function isJudgedLink(link: LinkState): boolean {
  return link.adminUp && !link.loopback && !VIRTUAL_INTERFACE.test(link.name);
}

export function linkMeasurements(links: LinkState[], ctx: ParseContext): ParseResult {
  const result = emptyResult();
  for (const link of links) {
    if (!isJudgedLink(link)) continue;
    const status = linkMeasurementStatus(link);
    const detail = link.lowerUp ? 'carrier present' : 'no carrier';
    result.measurements.push(
      measurement(ctx, 'SXKR-003', link.name, 'module.state', link.operstate, { status, detail }),
    );
  }
  return result;
}

/** `ip -o link`: `2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 … state UP mode DEFAULT …`. */
export function readIpLink(text: string): LinkState[] {
  const out: LinkState[] = [];
  for (const line of lines(text)) {
    const m = /^\d+:\s+([^:\s]+):\s+<([^>]*)>.*?\bstate\s+(\S+)/.exec(line);
    if (!m) continue;
    const flags = m[2]!.split(',');
    out.push({
      name: m[1]!.replace(/@.*$/, ''),
      adminUp: flags.includes('UP'),
      lowerUp: flags.includes('LOWER_UP'),
      loopback: flags.includes('LOOPBACK'),
      operstate: m[3]!,
    });
  }
  return out;
}

export function parseIpLink(text: string, ctx: ParseContext): ParseResult {
  return linkMeasurements(readIpLink(text), ctx);
}
