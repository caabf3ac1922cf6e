/** A plain folder rendered without any tool: the resources of its YAML files, as written. */
import * as path from 'node:path';
import { LineCounter } from 'yaml';
import { parseAllDocuments } from '../parse/boundedYaml';
import { isYamlFileName } from '../parse/fileKinds';
import { readRendered } from './provenance';
import { inputsOnlyOutput } from './renderContext';
import type { RenderContext, RenderOutput } from './renderContext';
import type { RenderUnit, RenderedResource } from './types';

export async function renderPlain(unit: RenderUnit, context: RenderContext): Promise<RenderOutput> {
  if (context.inputsOnly) {
    const names = (await context.reader.filesIn(unit.root)).filter(isYamlFileName).sort();
    const texts = await Promise.all(
      names.map((name) => context.reader.readText(path.join(unit.root, name)).catch(() => '')),
    );
    return inputsOnlyOutput(...names.flatMap((name, index) => [name, texts[index] ?? '']));
  }
  const resources: RenderedResource[] = [];
  for (const name of await context.reader.filesIn(unit.root)) {
    context.signal?.throwIfAborted();
    if (!isYamlFileName(name)) continue;
    const file = path.join(unit.root, name);
    const text = await context.reader.readText(file).catch(() => '');
    const lineCounter = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter })) {
      if (!doc.contents?.range) continue;
      const start = doc.range[0];
      const docText = text.slice(start, doc.range[2]).replace(/^---[^\n]*\n/, '');
      const identity = readRendered(docText);
      if (!identity) continue;
      const line = lineCounter.linePos(doc.contents.range[0]).line;
      resources.push({
        ...identity,
        text: docText.endsWith('\n') ? docText : `${docText}\n`,
        origin: { file, line },
      });
    }
  }
  return {
    yaml: resources.map((resource) => resource.text).join('---\n'),
    resources,
    fromCache: false,
  };
}
