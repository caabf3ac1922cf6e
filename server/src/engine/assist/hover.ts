import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { Position, Range } from '../types';
import { documentAt } from './documentAt';
import { nodeAtOffset } from './nodePath';
import { schemaAtPath, typeName } from './schemaAtPath';

export interface HoverInfo {
  /** Markdown: the field, its type, whether it is required, and its documentation. */
  readonly markdown: string;
  readonly range: Range | undefined;
}

/** Documentation of the field under the cursor, from the schema of the resource's kind. */
export function hoverAt(
  text: string,
  position: Position,
  registry: SchemaRegistry,
): HoverInfo | undefined {
  const at = documentAt(text, position);
  const identity = at?.document.identity;
  const apiVersion = identity?.apiVersion?.value;
  const kind = identity?.kind?.value;
  if (!at || typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return undefined;
  }
  const found = nodeAtOffset(at.document.ast.contents, at.offset);
  if (!found || found.path.length === 0) {
    return undefined;
  }
  const path = found.path;
  const isIdentity = path.length === 1 && (path[0] === 'kind' || path[0] === 'apiVersion');
  const field = isIdentity
    ? schemaAtPath(registry, apiVersion, kind, [])
    : schemaAtPath(registry, apiVersion, kind, path);
  if (!field) {
    return undefined;
  }
  const nodeRange = found.node?.range;
  const local = nodeRange ? at.lines.rangeAt(nodeRange[0], nodeRange[1]) : undefined;
  const range = local
    ? {
        start: { line: local.start.line + at.startLine, character: local.start.character },
        end: { line: local.end.line + at.startLine, character: local.end.character },
      }
    : undefined;
  const description = (field.declared.description ?? field.schema.description ?? '').trim();
  if (isIdentity) {
    const origin = registry.lookup(apiVersion, kind)?.origin ?? '';
    return {
      markdown: `**${kind}** (${apiVersion}) · schema from ${origin}\n\n${description}`.trim(),
      range,
    };
  }
  const name = String(path.at(-1));
  const header = [
    `**${typeof path.at(-1) === 'number' ? `item ${name}` : name}**`,
    `\`${typeName(field.declared, field.kind.resolve)}\``,
    field.required ? 'required' : 'optional',
  ].join(' · ');
  const where = path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('');
  return { markdown: `${header}\n\n\`${kind}${where}\`\n\n${description}`.trim(), range };
}
