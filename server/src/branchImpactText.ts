/**
 * A branch's impact as the editor is sent it: every field a repository wrote (app and resource
 * names, messages, paths) with its control characters escaped, as the other handlers send
 * messages, so no name can act on the tree or the diff editor. The texts keep their lines.
 */
import { escapeControls, escapeTerminalText } from './controlChars';
import type {
  AppImpact,
  BranchImpact,
  ImpactFinding,
  ImpactResource,
} from './engine/git/branchImpactTypes';

/** The impact with its repository-written fields escaped; Secret values were masked already. */
export function escapedImpact(impact: BranchImpact): BranchImpact {
  return {
    ...impact,
    base: { ...impact.base, ref: escapeControls(impact.base.ref) },
    head: { ...impact.head, ref: escapeControls(impact.head.ref) },
    changedFiles: impact.changedFiles.map(escapeControls),
    apps: impact.apps.map(escapedApp),
    ...(impact.unusable
      ? { unusable: { ...impact.unusable, message: escapeControls(impact.unusable.message) } }
      : {}),
  };
}

function escapedApp(app: AppImpact): AppImpact {
  return {
    ...app,
    app: escapeControls(app.app),
    path: escapeControls(app.path),
    ...(app.definedIn !== undefined ? { definedIn: escapeControls(app.definedIn) } : {}),
    clusters: app.clusters.map(escapeControls),
    resources: app.resources.map(escapedResource),
    findings: app.findings.map(escapedFinding),
    ...(app.error !== undefined ? { error: escapeControls(app.error) } : {}),
  };
}

function escapedResource(resource: ImpactResource): ImpactResource {
  return {
    ...resource,
    id: escapeControls(resource.id),
    apiVersion: escapeControls(resource.apiVersion),
    kind: escapeControls(resource.kind),
    name: escapeControls(resource.name),
    ...(resource.namespace !== undefined ? { namespace: escapeControls(resource.namespace) } : {}),
    changedPaths: resource.changedPaths.map(escapeControls),
    diff: escapeTerminalText(resource.diff),
    ...(resource.baseText !== undefined ? { baseText: escapeTerminalText(resource.baseText) } : {}),
    ...(resource.headText !== undefined ? { headText: escapeTerminalText(resource.headText) } : {}),
  };
}

function escapedFinding(finding: ImpactFinding): ImpactFinding {
  return {
    ...finding,
    code: escapeControls(finding.code),
    message: escapeControls(finding.message),
    file: escapeControls(finding.file),
  };
}
