import { gap, type ParseContext, type ParseResult } from '../parsers/types.js';

/** Placeholder until the shared ipmitool SDR parser (checks/sources/parsers) lands. */
export function parseIpmiSdr(_text: string, ctx: ParseContext): ParseResult {
  return {
    measurements: [],
    gaps: [
      gap(ctx, 'SXKR-004', 'ipmitool SDR output read but not yet parsed'),
      gap(ctx, 'SXKR-005', 'ipmitool SDR output read but not yet parsed'),
    ],
  };
}
