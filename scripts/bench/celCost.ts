import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SchemaCatalog, crdsInText, validateManifestText } from '../../server/src/engine';
import { celViolations } from '../../server/src/engine/validate/cel/celRules';
import { percentile } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');

/** One HTTPRoute of the CEL corpus: three rules, two matches each, a filter, two backends. */
function route(index: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-${index}
spec:
  parentRefs:
    - name: public
      sectionName: https
  hostnames:
    - app-${index}.example.com
  rules:
${[0, 1, 2]
  .map(
    (rule) => `    - matches:
        - path:
            type: PathPrefix
            value: /r${rule}
        - headers:
            - name: x-tenant
              value: t${index}
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            add:
              - name: x-route
                value: r${rule}
      backendRefs:
        - name: app-${index}
          port: 80
          weight: 90
        - name: app-${index}-canary
          port: 80
          weight: 10`,
  )
  .join('\n')}`;
}

export interface CelCost {
  readonly documents: number;
  /** Milliseconds to validate the whole file (schema, server rules, CEL), p50 of runs. */
  readonly fileMs: number;
  /** Milliseconds of it spent evaluating CEL rules (defaults, conversion, rules), p50. */
  readonly celMs: number;
  readonly rules: number;
}

/**
 * What CEL rules cost: a file of Gateway API HTTPRoutes (89 rules in the CRD), validated whole
 * by the engine, and the CEL part of it measured alone on the same objects.
 */
export async function celCost(documents = 200, runs = 7): Promise<CelCost> {
  const catalog = new SchemaCatalog(
    path.join(ROOT, 'server', 'src', 'engine', 'schemas', 'bundled'),
  );
  const registry = await catalog.registry((await catalog.defaultVersion()) ?? '1.34');
  const crdFile = path.join(
    ROOT,
    'test',
    'fixtures',
    'crds',
    'gateway-api',
    'standard',
    'gateway.networking.k8s.io_httproutes.yaml',
  );
  registry.setWorkspaceCrds(crdFile, crdsInText(readFileSync(crdFile, 'utf8')));
  const kind = registry.lookup('gateway.networking.k8s.io/v1', 'HTTPRoute');
  if (!kind) throw new Error('the HTTPRoute CRD did not load');
  const texts = Array.from({ length: documents }, (_, i) => route(i));
  const file = texts.join('\n---\n') + '\n';
  const objects = texts.map((text) => parse(text) as unknown);
  const fileTimes: number[] = [];
  const celTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    let started = performance.now();
    const result = validateManifestText(file, { schemas: registry });
    fileTimes.push(performance.now() - started);
    if (result.findings.some((finding) => finding.severity === 'error')) {
      throw new Error(`the CEL corpus should be valid: ${result.findings[0]?.message ?? ''}`);
    }
    started = performance.now();
    for (const object of objects) celViolations(object, kind.schema, kind.resolve);
    celTimes.push(performance.now() - started);
  }
  const rules = (readFileSync(crdFile, 'utf8').match(/^\s+- (message|rule):/gm) ?? []).length;
  return { documents, fileMs: percentile(fileTimes, 50), celMs: percentile(celTimes, 50), rules };
}
