import type { Repositories } from '../repositories/index.js';
import type { UserRow } from '../users/index.js';

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
export async function siteEngineers(repos: Pick<Repositories, 'users'>, site: string): Promise<string[]> {
  return (await repos.users.list()).filter((u) => isSiteEngineer(u, site)).map((u) => u.name);
}
