import type { AuditInstance } from '../api/types.js';
import type { ClientPool } from './client-pool.js';

/** A project's instance list, or why it could not be read. */
export type InstanceList =
  | { /** Every instance of the project, as listed. */ readonly instances: readonly AuditInstance[] }
  | { /** Why the list could not be read (secrets-free, from the client). */ readonly error: string };

/** `region/project` of anything placed in a project. */
export const projectOf = (x: { readonly region: string; readonly projectId: string }): string => `${x.region}/${x.projectId}`;

/**
 * Lists each project's instances at most once, however many declarations and selectors ask:
 * selectors need the list before the instances to read are known, and the read reuses it.
 */
export function instanceLister(pool: ClientPool): (region: string, projectId: string) => Promise<InstanceList> {
  const lists = new Map<string, Promise<InstanceList>>();
  return (region, projectId) => {
    const key = projectOf({ region, projectId });
    let list = lists.get(key);
    if (!list) {
      list = pool
        .client(region, projectId)
        .listInstances(projectId)
        .then(
          (instances): InstanceList => ({ instances }),
          (err: unknown): InstanceList => ({ error: err instanceof Error ? err.message : String(err) }),
        );
      lists.set(key, list);
    }
    return list;
  };
}
