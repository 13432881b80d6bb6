import { Type, type Static } from '@sinclair/typebox';

/** GET /api/v1/sites/:site/audit — newest first, `limit` per page, `cursor` from the previous page's `next`. */
export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: "the previous page's `next`" })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

/** One audit log entry: who (actor and role) did what (action, subject, detail) and when. */
export const AuditEntryJson = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.String(),
    role: Type.String(),
    action: Type.String({ description: 'e.g. inspection.sign, inspection.confirm, ticket.resolve, maintenance.approve, login' }),
    subject: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type AuditEntryJson = Static<typeof AuditEntryJson>;

export const AuditPage = Type.Object(
  { site: Type.String(), entries: Type.Array(AuditEntryJson), next: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);
export type AuditPage = Static<typeof AuditPage>;
