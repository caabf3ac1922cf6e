/** A mistake in how the CLI was called: exit code 2 with a one-line message. */
export class UsageError extends Error {
  readonly reason = 'usage';
}

export const USAGE = `Usage: gitops-workbench <command> [options]

Commands:
  check <files or folders...>   Validate Kubernetes manifests (folders are searched for .yaml/.yml)

Options:
  --format text|json            Output format (default: text)
  --kubernetes-version X.Y      Validate against this bundled Kubernetes version (default: newest)
  -h, --help                    Show this help
  -v, --version                 Show the version

Exit codes: 0 no error found, 1 an error was found, 2 usage error or internal failure.`;
