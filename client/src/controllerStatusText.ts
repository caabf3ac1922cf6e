/**
 * What a GitOps controller says of its app, in words for the Clusters tree: the one-word health
 * of a row ("Ready", "Degraded") and the full sentence of a tooltip ("Flux: Ready"). Free of
 * editor APIs.
 */
import type { AppSummary } from '../../server/src/protocol';

/** The controller's health in one word: "Ready", "Not Ready", "Suspended", "Degraded". */
export function controllerHealth(app: AppSummary): string | undefined {
  const status = app.controller;
  switch (controllerOf(app)) {
    case 'flux':
      if (status?.suspended) return 'Suspended';
      if (status?.ready === 'True') return 'Ready';
      if (status?.ready === 'False') return 'Not Ready';
      return status?.ready ? `Ready ${status.ready}` : undefined;
    case 'argo':
      return status?.ready;
    default:
      return undefined;
  }
}

/** What the controller itself says: "Flux: Ready", "Argo CD: OutOfSync, Healthy". */
export function controllerText(app: AppSummary): string | undefined {
  const status = app.controller;
  switch (controllerOf(app)) {
    case 'flux': {
      if (status?.suspended) return 'Flux: Suspended';
      if (status?.ready === 'True') return 'Flux: Ready';
      if (status?.ready === 'False') return 'Flux: Not Ready';
      if (status?.ready) return `Flux: Ready ${status.ready}`;
      return 'Flux: no status';
    }
    case 'argo': {
      const said = [status?.syncStatus, status?.ready].filter((part) => part !== undefined);
      return said.length > 0 ? `Argo CD: ${said.join(', ')}` : 'Argo CD: no status';
    }
    default:
      return undefined;
  }
}

export type Controller = 'flux' | 'argo' | undefined;

export function controllerOf(app: Pick<AppSummary, 'kind'>): Controller {
  switch (app.kind) {
    case 'FluxKustomization':
    case 'FluxHelmRelease':
      return 'flux';
    case 'ArgoApplication':
      return 'argo';
    case 'Folder':
      return undefined;
  }
}
