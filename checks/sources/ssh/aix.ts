import { emptyCollection, type OsCollection, type OsContext } from './os-context.js';
export async function collectAix(_ctx: OsContext): Promise<OsCollection> {
  return emptyCollection();
}
