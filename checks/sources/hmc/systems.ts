/*
 * `lssyscfg -r sys -F name,type_model,serial_num,state`: the managed systems this HMC knows, read
 * by the fields asked for (never by the position of a layout we did not choose).
 */
import type { ComponentStatus } from '../../../schemas/index.js';
import { fieldLine, hmcError } from './records.js';

export const SYSTEM_FIELDS = ['name', 'type_model', 'serial_num', 'state'] as const;
export const LSSYSCFG = `lssyscfg -r sys -F ${SYSTEM_FIELDS.join(',')}`;

export interface ManagedSystem {
  name: string;
  typeModel: string;
  serial: string;
  state: string;
}

/** The systems listed, or the first line that is not four fields. */
export function parseManagedSystems(text: string): { systems: ManagedSystem[] } | { unparsed: string } {
  const systems: ManagedSystem[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || hmcError(line)) continue; // a console message about another system
    const f = fieldLine(line, SYSTEM_FIELDS);
    if (!f || !f.get('name')) return { unparsed: line.trim() };
    systems.push({ name: f.get('name')!, typeModel: f.get('type_model')!, serial: f.get('serial_num')!, state: f.get('state')! });
  }
  return { systems };
}

/**
 * What a managed system's state says (states as IBM's lssyscfg manual lists them):
 * - `status`: the server as a module of SXKR-003 — running (`Operating`, `Standby`) is ok; powered
 *   off or starting is a warning (it serves nothing); an `Error…` state is a fault.
 * - `blind`: the HMC cannot talk to the server's service processor, so its list of events for it
 *   is not current — SXKR-004/005/006 cannot be judged from it.
 */
export function judgeSystemState(state: string): { status: ComponentStatus; blind?: string } {
  const s = state.trim().toLowerCase();
  if (s === 'operating' || s === 'standby') return { status: 'ok' };
  if (s.startsWith('error')) return { status: 'fault' };
  if (/^(power off|power off in progress|initializing|starting)/.test(s)) return { status: 'warning' };
  if (/no connection|incomplete|authentication|version mismatch|recovery|failover/.test(s)) {
    return { status: 'unknown', blind: `the HMC has no working connection to its service processor (state "${state}")` };
  }
  return { status: 'unknown', blind: `the HMC reports the state "${state}", which says nothing of its service processor's events` };
}

/** A system on the HMC by its name or its `type-model*serial` (lssyscfg -m's two forms). */
export function findSystem(systems: ManagedSystem[], wanted: string): ManagedSystem | undefined {
  return systems.find((s) => s.name === wanted) ?? systems.find((s) => `${s.typeModel}*${s.serial}`.toLowerCase() === wanted.toLowerCase());
}
