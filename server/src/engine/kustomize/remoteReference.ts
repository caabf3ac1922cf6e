/**
 * Which references kustomize 5.8 would fetch rather than read from the workspace.
 *
 * - Every file it loads (resources, patches, generator files, replacements, CRDs, OpenAPI
 *   schemas) is fetched over HTTP when `url.Parse` finds an `http` or `https` scheme
 *   (api/internal/loader/fileloader.go, `IsRemoteFile`).
 * - A resource, base, component, generator, transformer or validator that is not a readable file
 *   is handed to `git.NewRepoSpecFromURL` (api/internal/git/repospec.go) before anything local
 *   is tried: a scheme (`ssh://`, `https://`, `http://`, `file://`, after an optional `git::`),
 *   a `user@` prefix or a `github.com` host makes it a git clone, even when a local folder of
 *   that name exists.
 *
 * The test here is a superset of kustomize's: any `scheme://`, `git::`, and the hosts the engine
 * always treated as remote (`gitlab.com`, `bitbucket.org`) count too. A path that starts with
 * `./`, `../` or a plain folder name stays local.
 */

/** `http`: fetched over HTTP(S); `git`: cloned; `localGit`: cloned from this machine (`file://`). */
export type RemoteKind = 'http' | 'git' | 'localGit';

/**
 * The text as Go's `strings.ToLower` and the ASCII patterns of repospec.go see it: the Kelvin
 * sign and the dotted capital I lower to ASCII letters there (and `ſ` is taken as `s`, a
 * superset).
 */
function asciiFolded(reference: string): string {
  return reference
    .trimStart()
    .replace(/\u212a/g, 'k')
    .replace(/\u0130/g, 'i')
    .replace(/\u017f/g, 's');
}

/** How kustomize would fetch `reference`, or undefined when it reads it from the workspace. */
export function remoteReferenceKind(reference: string): RemoteKind | undefined {
  const text = asciiFolded(reference);
  if (/^(git::)?file:\/\//i.test(text)) return 'localGit';
  if (/^https?:/i.test(text)) return 'http';
  if (/^git::/i.test(text) || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return 'git';
  if (/^(github\.com|gitlab\.com|bitbucket\.org)[/:]/i.test(text)) return 'git';
  if (isUserAtHostRepo(text)) return 'git';
  return undefined;
}

/** True for a kustomize resource, base or component that names a remote base or file. */
export function isRemoteReference(reference: string): boolean {
  return remoteReferenceKind(reference) !== undefined;
}

/** True for a file path (patch, generator file, CRD...) that kustomize would fetch over HTTP. */
export function isRemoteFile(reference: string): boolean {
  return /^https?:/i.test(asciiFolded(reference));
}

/**
 * `user@host:org/repo`, `user@host/org/repo//dir` and the like: repospec.go's parse of a
 * reference without a scheme, where the `user@` prefix allows the scp-like colon. The check that
 * the path does not leave the repository is left out (a superset).
 */
function isUserAtHostRepo(text: string): boolean {
  const withoutQuery = text.split('?')[0] ?? '';
  const user = /^[a-z][a-z0-9-]*@/i.exec(withoutQuery);
  if (!user) return false;
  const rest = withoutQuery.slice(user[0].length);
  const slash = rest.indexOf('/');
  const colon = rest.indexOf(':');
  const separator = slash === -1 || (colon > 0 && colon < slash) ? colon : slash;
  if (separator < 0) return false;
  return repoPathFound(rest.slice(separator + 1));
}

/** repospec.go's `parsePathParts`: an explicit `_git/`, `//` or `.git`, or two segments. */
function repoPathFound(path: string): boolean {
  if (path.includes('_git/')) return true;
  const root = path.indexOf('//');
  if (root >= 0) return root > 0;
  if (path.includes('.git')) return true;
  return path.split('/').length >= 2;
}
