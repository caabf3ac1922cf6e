/** A mistake in how the CLI was called: exit code 2 with a one-line message. */
export class UsageError extends Error {
  readonly reason = 'usage';
}

export const USAGE = `Usage: gitops-workbench <command> [options]

Commands:
  check <files or folders...>   Validate Kubernetes manifests (folders are searched for .yaml/.yml)
  render <unit>                 Print the rendered YAML of a kustomization, chart, folder, or a file
                                with a Flux Kustomization/HelmRelease or Argo CD Application (file:LINE
                                picks one), or of the unit a file belongs to; a file of several (a
                                chart used by HelmReleases) renders the first and lists the others
  status [path]                 Sync status of the GitOps apps of a cluster against this repository;
                                with a path, of what it renders: the apps deployed from it, else the
                                folder itself (a kustomization, a chart, plain manifests)
  diff <app or path>            Unified diff of live objects against Git (Secret values masked); a
                                path is compared as status compares it

Options:
  --format text|json            Output format (default: text)
  --kubernetes-version X.Y      Validate against this bundled Kubernetes version (default: newest)
  --no-render                   check: do not render the kustomizations, charts, Flux and Argo CD
                                apps under the folders or defined in the files (rendered output
                                is validated by default)
  --show-secrets                render: print Secret values (masked by default)
  --unit PLACE                  render: which unit of the file, by the place the list shows
                                (file:LINE of a HelmRelease or Application, the chart folder for its
                                defaults) or by namespace/name
  --allow-network               fetch remote bases and chart repositories
  --memory-limit MB             stop a helm or kustomize process that uses more memory than
                                this (default 1024)
  --root FOLDER                 the repository root (default: each target's nearest folder with
                                .git, else the target's own folder)
  --context NAME                status, diff: the kubeconfig context (default: current context)
  --namespace NAME              status, diff of a path: the namespace of what names none (default:
                                the context's namespace, else default)
  --kubeconfig FILE             status, diff: the kubeconfig (default: KUBECONFIG, ~/.kube/config)
  --desired working-tree|HEAD   status, diff: compare with the files, or with the last commit
  --helm PATH, --kustomize PATH the binaries to use (default: PATH, then the tool cache)
  -h, --help                    Show this help
  -v, --version                 Show the version

Exit codes: 0 no error found (status, diff: no drift), 1 an error was found, the unit did not
render, or (status, diff) something drifted, 2 usage error, unreachable cluster or internal failure.

Git commands:
  history <app or path>         Commits that touched what the app or folder renders from
                                (--limit N, default 50; --format text|json)
  rollback <sha>                Revert the commit on a new branch rollback/<short-sha> from the
                                upstream head and push it (never forced); prints what it changes
  --direct                      rollback: commit on the current branch (never main, master or a
                                --protected PATTERN branch unless --allow-protected; PATTERN as
                                in branch protection rules: release/*, hotfix/**)
  --no-push                     rollback: do not push
  --mainline N                  rollback: the parent to keep when reverting a merge commit
  --remote NAME, --git PATH     the remote to push to (default origin); the git binary
  rollback exits 1 when it refused (uncommitted changes, conflict, protected branch, an operation
  in progress, merge commit without --mainline, push rejected).
  impact                        What a branch changes in the rendered output, per cluster and app,
                                offline: the head against the base, new error findings and newly
                                used deprecated or removed APIs first; Secret values masked. Only
                                the apps whose render read a changed file are rendered at the head
  --base REF                    impact: the commit compared with (default: the merge base of the
                                head with origin/HEAD's branch, else origin/main, origin/master,
                                main, master)
  --head REF                    impact: the commit compared (default HEAD; a commit, never the
                                working tree: commit first)
  --format text|json|markdown   impact: markdown is a pull request comment (a summary table, each
                                app's diffs folded, at most 60,000 characters); json is schema 1:
                                {schema, base {ref, sha, how}, head {ref, sha}, changed,
                                changedFiles, renders {units, base, head}, summary {apps, added,
                                changed, removed, newFindings}, apps [{app, kind, path, definedIn,
                                clusters, status, errorChanged, error, findings [{severity, code,
                                message, file, line}], resources [{id, apiVersion, kind, name,
                                namespace, change, changedPaths, diff}]}]}
  --output FILE                 impact: write the report to FILE instead of standard output
  impact exits 0 when nothing rendered changes, 1 when something does (a resource, a new finding,
  a render error that came or went), 2 on an error (bad ref, not a repository, no helm/kustomize).`;
