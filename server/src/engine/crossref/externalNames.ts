/**
 * Whether a resource is among the names the user marked external for its kind. An entry is a
 * name (any namespace) or `namespace/name`; `*` in an entry stands for any characters, so
 * `cluster-*` or `flux-system/*` cover a family of resources and `*` covers the whole kind.
 */
export function matchesExternal(
  entries: readonly string[],
  namespace: string,
  name: string,
): boolean {
  return entries.some((entry) =>
    entry.includes('/') ? globMatch(entry, `${namespace}/${name}`) : globMatch(entry, name),
  );
}

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) {
    return pattern === value;
  }
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}
