import type { Db } from '../storage/db.js';
import { UsersRepository, type UserRow } from '../users/index.js';

/**
 * Who a ticket may be given to (assignee, backup, emergency-plan owner): an engineer or admin, not
 * disabled, with access to the site — an admin, or an engineer without sites, sees every site.
 */
export function isSiteEngineer(user: UserRow | undefined, site: string): user is UserRow {
  return (
    user !== undefined &&
    user.disabledAt === null &&
    (user.role === 'admin' || (user.role === 'engineer' && (user.sites.length === 0 || user.sites.includes(site))))
  );
}

/** The names of the people a ticket of this site may be given to, for the dashboard's choices. */
export function siteEngineers(db: Db, site: string): string[] {
  return new UsersRepository(db).list().filter((u) => isSiteEngineer(u, site)).map((u) => u.name);
}
