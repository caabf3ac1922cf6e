/**
 * The requests the Clusters tree makes of the language server, and how a failed one reads in the
 * tree: a sentence saying what to do, with the detail in the log.
 */
import type { AppResourcesResult, ContextAppsResult } from '../../server/src/protocol';

const SERVER_DOWN = 'The GitOps Workbench language server is not running: restart it, then retry.';
const REQUEST_FAILED = 'The request to the language server failed: see the GitOps Workbench log.';

/** The requests the store makes; undefined when the server is not running. */
export interface StatusRequests {
  contextApps(context: string, refresh: boolean): Promise<ContextAppsResult | undefined>;
  appResources(appId: string): Promise<AppResourcesResult | undefined>;
  readonly log: { error(message: string): void };
}

/** Runs a request; a failure becomes a sentence for the tree, its detail goes to the log. */
export async function sendRequest<T>(
  log: StatusRequests['log'],
  what: string,
  send: () => Promise<T | undefined>,
): Promise<T | string> {
  try {
    return (await send()) ?? SERVER_DOWN;
  } catch (error) {
    log.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    return REQUEST_FAILED;
  }
}
