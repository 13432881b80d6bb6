import { Type, type Static } from '@sinclair/typebox';
import { SiteName } from './names.js';
import { InspectionMonth } from './inspection.js';

/** The reports the collector produces (collector/reports). */
export const REPORT_KIND_NAMES = ['inspection', 'products', 'performance', 'faults', 'health', 'summary'] as const;

export const ReportKindParams = Type.Object({
  site: SiteName(),
  kind: Type.Union(REPORT_KIND_NAMES.map((k) => Type.Literal(k))),
});
export type ReportKindParams = Static<typeof ReportKindParams>;

export const ReportQuery = Type.Object(
  {
    month: Type.Optional(InspectionMonth),
    quarter: Type.Optional(Type.String({ pattern: '^\\d{4}-Q[1-4]$', description: 'YYYY-Qn' })),
    /** Half-yearly summary: `YYYY-H1|H2`; annual summary: `year=YYYY`. */
    half: Type.Optional(Type.String({ pattern: '^\\d{4}-H[12]$' })),
    year: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
    ticket: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,11}$' })),
    lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
    format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('pdf'), Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('json')])),
    /** Which table for CSV (0 = the first). */
    table: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;
