/** A mistake in how the CLI was called: exit code 2 with a one-line message. */
export class UsageError extends Error {
  readonly reason = 'usage';
}

export const USAGE = `Usage: gitops-workbench <command> [options]

Commands:
  check <files or folders...>   Validate Kubernetes manifests (folders are searched for .yaml/.yml)
  render <unit>                 Print the rendered YAML of a kustomization, chart, folder, or a file
                                with a Flux Kustomization/HelmRelease or Argo CD Application

Options:
  --format text|json            Output format (default: text)
  --kubernetes-version X.Y      Validate against this bundled Kubernetes version (default: newest)
  --no-render                   check: do not render the kustomizations, charts, Flux and Argo CD
                                apps under the folders (rendered output is validated by default)
  --show-secrets                render: print Secret values (masked by default)
  --allow-network               fetch remote bases and chart repositories
  --root FOLDER                 the repository root (default: the nearest folder with .git)
  --helm PATH, --kustomize PATH the binaries to use (default: PATH, then the tool cache)
  -h, --help                    Show this help
  -v, --version                 Show the version

Exit codes: 0 no error found, 1 an error was found (or the unit did not render), 2 usage error
or internal failure.`;
