/**
 * Whether a name written in a source file is the name of a rendered resource: kustomize may add
 * a prefix or a suffix (the source name is inside the rendered one), and Flux substitutes
 * variables (`${APP}-config` is `bazarr-config`): each `${...}` stands for any text, and the
 * written parts must appear in the rendered name in order. No RegExp is built from the name.
 */
export function sourceNameMatches(sourceName: string, renderedName: string): boolean {
  if (!sourceName.includes('${')) return renderedName.includes(sourceName);
  let at = 0;
  for (const part of writtenParts(sourceName)) {
    const found = renderedName.indexOf(part, at);
    if (found === -1) return false;
    at = found + part.length;
  }
  return true;
}

/** The text of a name outside its `${...}` expressions (nested ones included). */
function writtenParts(name: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let at = name.indexOf('${');
  while (at !== -1) {
    parts.push(name.slice(from, at));
    let depth = 0;
    let end = at;
    for (; end < name.length; end += 1) {
      if (name.startsWith('${', end)) {
        depth += 1;
        end += 1;
      } else if (name[end] === '}' && --depth === 0) break;
    }
    from = end + 1;
    at = name.indexOf('${', from);
  }
  parts.push(name.slice(from));
  return parts.filter((part) => part !== '');
}
