import * as os from 'node:os';
import * as path from 'node:path';

/** The project's tool cache, where `npm run tools` builds helm and kustomize. */
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
  return path.join(
    process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'),
    'gitops-workbench',
  );
}
