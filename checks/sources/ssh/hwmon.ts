import { hwmonKind } from '../parsers/linux/sensor-kind.js';
import { emptyResult, lines, measurement, round1, type ParseContext, type ParseResult } from '../parsers/types.js';

/**
 * The shell loop that reads every hwmon temperature with its own limits, one line per sensor:
 * `input-file|millidegrees|crit|max|label|chip`. Empty fields are files the driver does not offer.
 */
export const HWMON_COMMAND =
  // Older kernels (2.6.32: RHEL/CentOS 6) keep a chip's files in hwmonN/device, as libsensors knows.
  'for h in /sys/class/hwmon/hwmon*; do d=$h; ls $h/temp*_input >/dev/null 2>&1 || d=$h/device; ' +
  'for f in $d/temp*_input; do [ -r "$f" ] || continue; b=${f%_input}; ' +
  'echo "$f|$(cat "$f" 2>/dev/null)|$(cat ${b}_crit 2>/dev/null)|$(cat ${b}_max 2>/dev/null)|' +
  '$(cat ${b}_label 2>/dev/null)|$(cat $d/name 2>/dev/null || cat $h/name 2>/dev/null)"; done; done';

/** Output of HWMON_COMMAND → SXKR-005 temperatures, with the driver's crit (else max) as the limit. */
export function parseHwmon(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  for (const line of lines(text)) {
    const [file, raw, crit, max, label, chip] = line.split('|');
    if (!file || !raw || !/^-?\d+$/.test(raw.trim())) continue;
    const celsius = round1(Number(raw) / 1000);
    const name = [chip?.trim(), label?.trim() || file.replace(/.*\/(temp\d+)_input$/, '$1')].filter(Boolean).join(' ');
    const limitRaw = crit?.trim() || max?.trim();
    const limitFile = crit?.trim() ? `${file.replace(/_input$/, '_crit')}` : `${file.replace(/_input$/, '_max')}`;
    const high = limitRaw && /^-?\d+$/.test(limitRaw) && Number(limitRaw) > 0 ? round1(Number(limitRaw) / 1000) : undefined;
    result.measurements.push(
      measurement({ ...ctx, command: `${ctx.command}` }, 'SXKR-005', name, 'temperature', celsius, {
        unit: '°C',
        kind: hwmonKind(chip ?? '', label ?? ''),
        limits: high !== undefined ? { high, source: limitFile } : undefined,
        detail: file,
      }),
    );
  }
  return result;
}
