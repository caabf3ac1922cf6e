import type { Connection } from 'vscode-languageserver';
import { toAbortSignal } from '../cancellation';
import {
  appResources,
  contextApps,
  disconnectContext,
  reconcileApp,
  resourceDiff,
  statusChanged,
} from '../protocol';
import type { StatusService } from '../statusService';

/** Connects the Clusters view's requests to the status service, and pushes live changes. */
export function registerStatus(connection: Connection, service: StatusService): void {
  connection.onRequest(contextApps, (params, token) =>
    service.contextApps(params, toAbortSignal(token)),
  );
  connection.onRequest(appResources, (params, token) =>
    service.appResources(params.appId, toAbortSignal(token), params.progressive === true),
  );
  connection.onRequest(resourceDiff, (params, token) =>
    service.resourceDiff(params.appId, params.resourceId, toAbortSignal(token)),
  );
  connection.onRequest(reconcileApp, (params, token) =>
    service.reconcile(params.appId, toAbortSignal(token)),
  );
  connection.onNotification(disconnectContext, (params) => service.close(params.context));
}

/** What the service calls to notify the client. */
export function statusNotifier(
  connection: Connection,
): (context: string, appIds: readonly string[]) => void {
  return (context, appIds) => void connection.sendNotification(statusChanged, { context, appIds });
}
