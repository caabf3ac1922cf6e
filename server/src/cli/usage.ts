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
  --show-secrets                render: print Secret values (masked by default)
  --allow-network               render: fetch remote bases and chart repositories
  --root FOLDER                 render: the repository root (default: the nearest folder with .git)
  --helm PATH, --kustomize PATH render: the binaries to use (default: PATH, then the tool cache)
  -h, --help                    Show this help
  -v, --version                 Show the version

Exit codes: 0 no error found, 1 an error was found (or the unit did not render), 2 usage error
or internal failure.`;
