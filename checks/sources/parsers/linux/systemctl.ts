import type { ComponentStatus } from '../../../../schemas/index.js';
import { emptyResult, gap, lines, measurement, type ParseContext, type ParseResult } from '../types.js';

const UNIT_LINE =
  /^(?:[●*×]\s*)?(\S+\.(?:service|socket|mount|timer|target|path|swap|device|scope|slice|automount))\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/;
const NO_SYSTEMD = /Failed to connect to bus|not been booted with systemd|Host is down|command not found/i;

/**
 * `systemctl --failed` (with or without `--no-legend --plain`): each failed unit is an SXKR-003
 * fault `service <unit>`. No failed unit gives one `systemd units` ok row, so the form still
 * shows that the units were looked at and with which command.
 */
export function parseSystemctlFailed(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  if (NO_SYSTEMD.test(text)) {
    const why = lines(text).find((l) => NO_SYSTEMD.test(l))?.trim() ?? 'systemd not reachable';
    result.gaps.push(gap(ctx, 'SXKR-003', `systemd units not listed: ${why}`, 'systemd units'));
    return result;
  }
  for (const line of lines(text)) {
    const m = UNIT_LINE.exec(line.trim());
    if (!m || m[1] === 'UNIT') continue;
    const [, unit, load, active, sub, description] = m;
    if (active !== 'failed' && load === 'loaded') continue;
    result.measurements.push(
      measurement(ctx, 'SXKR-003', `service ${unit}`, 'module.state', `${load} ${active} ${sub}`, {
        status: 'fault',
        detail: description || undefined,
      }),
    );
  }
  if (result.measurements.length === 0) {
    result.measurements.push(
      measurement(ctx, 'SXKR-003', 'systemd units', 'module.state', '0 failed units', { status: 'ok' }),
    );
  }
  return result;
}

function activeStatus(state: string): ComponentStatus {
  if (state === 'active') return 'ok';
  if (state === 'activating' || state === 'reloading' || state === 'deactivating') return 'warning';
  return 'fault'; // inactive, failed, unknown (no such unit): a required service is not running
}

/**
 * `systemctl is-active u1 u2 …` prints one state per unit, in the order asked; `units` is that
 * order. A required service that is not active is a fault.
 */
export function parseSystemctlIsActive(text: string, ctx: ParseContext, units: string[]): ParseResult {
  const result = emptyResult();
  if (NO_SYSTEMD.test(text)) {
    for (const unit of units) {
      result.gaps.push(gap(ctx, 'SXKR-003', 'systemd not reachable, service state unknown', `service ${unit}`));
    }
    return result;
  }
  const states = lines(text).map((l) => l.trim()).filter(Boolean);
  units.forEach((unit, i) => {
    const state = states[i];
    if (state === undefined) {
      result.gaps.push(gap(ctx, 'SXKR-003', 'systemctl printed no state for this unit', `service ${unit}`));
      return;
    }
    result.measurements.push(
      measurement(ctx, 'SXKR-003', `service ${unit}`, 'module.state', state, { status: activeStatus(state) }),
    );
  });
  return result;
}
