import { Type, type Static } from '@sinclair/typebox';

/** The dashboard's log-in form or JSON body. */
export const LoginBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
    /** Where to go after a form log-in (a path on this collector). */
    next: Type.Optional(Type.String({ maxLength: 2000 })),
    /** The log-in form's CSRF token (required for a form post, checked by the dashboard). */
    _csrf: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;
