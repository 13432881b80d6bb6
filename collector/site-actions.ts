import { SiteContract, validate } from '../schemas/index.js';
import { EDITORS } from './auth.js';
import { changeDetail } from './identity/index.js';
import type { SiteRow } from './repositories/index.js';
import { assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from './users/index.js';

/**
 * The site's record as a person sets it from the dashboard: the customer's name and the contract
 * number the report covers print. The same rule as PATCH /api/v1/sites/:site — engineers and admins of
 * the site, the schema's limits (one line of printable characters), an audit entry `site.update`.
 */
export class SiteActions {
  constructor(private readonly ctx: ActionContext) {}

  async setContract(actor: Actor, site: string, body: unknown): Promise<SiteRow> {
    assertRole(actor, EDITORS, "setting the site's customer and contract");
    assertActorSite(actor, site, `change site ${site}`);
    const input = validate(SiteContract, body, 'site contract');
    return auditedChange(
      this.ctx,
      actor,
      async () => (await this.ctx.repos.sites.update(site, input))!,
      () => ({ action: 'site.update', site, subject: site, detail: changeDetail(input) }),
    );
  }
}
