import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The project's cache outside the work tree (built tools, code-server, cluster state, logs):
 * `$GITOPS_WORKBENCH_CACHE`, else the platform's user cache folder + gitops-workbench. The one
 * definition, used by the product, the CLI and the scripts alike.
 */
export function defaultToolCacheDir(): string {
  const explicit = process.env['GITOPS_WORKBENCH_CACHE'];
  if (explicit) {
    return path.resolve(explicit);
  }
  if (process.platform === 'win32') {
    return path.join(
      process.env['LOCALAPPDATA'] ?? path.join(os.homedir(), 'AppData', 'Local'),
      'gitops-workbench',
    );
  }
  const xdg = process.env['XDG_CACHE_HOME'];
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'gitops-workbench');
}
