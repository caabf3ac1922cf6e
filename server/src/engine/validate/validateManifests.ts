import { iterateDocuments } from '../parse/documentChunks';
import { isBinary, isKnownNonManifest, isTemplated } from '../parse/fileKinds';
import { MAX_YAML_FILE_BYTES } from '../parse/boundedYaml';
import { parseManifestFast } from '../parse/fastManifest';
import { parseManifestText } from '../parse/manifestDocuments';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import { mayHoldSecret } from '../secrets/secretKinds';
import { scrubSecretValues, secretValuesOf } from '../secrets/secretScrubber';
import type { Finding, Range } from '../types';
import { contextKey } from './fileContext';
import type { FileContext } from './fileContext';
import { plainSecretFindings } from './plainSecrets';
import { meantAsResource, resourceIdentityFindings } from './resourceIdentity';
import { resourceNodes } from './resourceNodes';
import { schemaFindings } from './schemaFindings';
import { yamlSyntaxFindings } from './yamlSyntax';

export interface ValidationResult {
  readonly findings: readonly Finding[];
  /** Documents that declare both apiVersion and kind. */
  readonly resources: number;
  /** Why the text was not validated, when it was skipped as a whole. */
  readonly skipped?: 'notManifest' | 'templated';
}

export interface ValidateOptions {
  /** The file's path, used to recognise files that are never manifests. */
  readonly path?: string;
  /** Schemas to validate resources against; without them only syntax and identity are checked. */
  readonly schemas?: SchemaRegistry;
  /** Results of earlier calls, so unchanged documents are not validated again. */
  readonly cache?: ChunkCache;
  /**
   * The file is a patch (a kustomization names it): it holds only the fields it changes, so
   * missing required fields are not reported.
   */
  readonly partial?: boolean;
  /** What the repository says about the file (patches, transformers, encryption). */
  readonly context?: FileContext;
  /**
   * Parse every document with the `yaml` package, never with the fast parser: the reference
   * the fast parser is held to (test/unit/fastManifest.test.ts).
   */
  readonly exactParser?: boolean;
  readonly signal?: AbortSignal;
}

/** What one document of a file yields, with ranges relative to the document's first line. */
interface ChunkResult {
  readonly findings: readonly Finding[];
  readonly resources: number;
  readonly resourceLike: boolean;
}

/**
 * Remembers the results of the documents of one file, keyed by their text (and the schema
 * registry's generation). Each call keeps only the documents the file still has.
 */
export class ChunkCache {
  private results = new Map<string, ChunkResult>();
  private next = new Map<string, ChunkResult>();
  hits = 0;

  get(key: string): ChunkResult | undefined {
    const found = this.results.get(key);
    if (found) {
      this.hits++;
      this.next.set(key, found);
    }
    return found;
  }

  set(key: string, result: ChunkResult): void {
    this.next.set(key, result);
  }

  /** Ends a validation pass: forgets documents the file no longer has. */
  commit(): void {
    this.results = this.next;
    this.next = new Map();
  }
}

/**
 * Validates the text of a YAML file: syntax, then resource checks on each document. Files that
 * hold no Kubernetes resource are left alone, so values and CI files get no findings of ours.
 */
export function validateManifestText(
  text: string,
  options: ValidateOptions = {},
): ValidationResult {
  const run = validation(text, options);
  let step = run.next();
  while (!step.done) {
    step = run.next();
  }
  return step.value;
}

/**
 * The same validation, giving the event loop a turn every few milliseconds so a server stays
 * responsive while a large file is validated; stops early when `signal` aborts.
 */
export async function validateManifestTextAsync(
  text: string,
  options: ValidateOptions = {},
  sliceMs = 4,
): Promise<ValidationResult> {
  const run = validation(text, options);
  let sliceStart = performance.now();
  let step = run.next();
  while (!step.done) {
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    step = run.next();
  }
  return step.value;
}

/** The finding of a file too large to validate, by its size in bytes. */
export function fileTooLargeFinding(bytes: number): Finding {
  const start = { line: 0, character: 0 };
  const mb = (value: number): string => `${Number((value / 1024 / 1024).toFixed(1))} MB`;
  return {
    range: { start, end: start },
    severity: 'warning',
    code: 'file-too-large',
    message: `This file is ${mb(bytes)}, more than the ${mb(MAX_YAML_FILE_BYTES)} that are validated, so it was not validated: split it into smaller files.`,
  };
}

function tooLargeFinding(text: string): Finding | undefined {
  // Each UTF-16 unit is at least one byte: count the bytes only when it may matter.
  if (text.length * 3 <= MAX_YAML_FILE_BYTES) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_YAML_FILE_BYTES ? fileTooLargeFinding(bytes) : undefined;
}

/** Validation as a generator that yields after each document. */
function* validation(text: string, options: ValidateOptions): Generator<void, ValidationResult> {
  const context: FileContext = {
    ...options.context,
    ...(options.partial ? { partial: true } : {}),
  };
  if ((options.path && isKnownNonManifest(options.path)) || context.data) {
    return { findings: [], resources: 0, skipped: 'notManifest' };
  }
  const tooLarge = tooLargeFinding(text);
  if (tooLarge) {
    return { findings: [tooLarge], resources: 0 };
  }
  if (isBinary(text)) {
    const start = { line: 0, character: 0 };
    return {
      findings: [
        {
          range: { start, end: start },
          severity: 'warning',
          code: 'not-text',
          message: 'This file contains NUL bytes, so it is not YAML text: it was not validated.',
        },
      ],
      resources: 0,
    };
  }
  if (isTemplated(text, options.path)) {
    return { findings: [], resources: 0, skipped: 'templated' };
  }
  const generation = options.schemas?.generation ?? 'none';
  const findings: Finding[] = [];
  let resources = 0;
  let resourceLike = false;
  for (const chunk of iterateDocuments(text)) {
    options.signal?.throwIfAborted();
    const key = `${generation}${contextKey(context)}\u0000${chunk.text}`;
    let result = options.cache?.get(key);
    if (!result) {
      result = validateChunk(chunk.text, options.schemas, context, options.exactParser === true);
      options.cache?.set(key, result);
    }
    resources += result.resources;
    resourceLike ||= result.resourceLike;
    for (const finding of result.findings) {
      findings.push(shift(finding, chunk.startLine));
    }
    yield;
  }
  options.cache?.commit();
  if (!resourceLike) {
    return { findings: [], resources: 0, skipped: 'notManifest' };
  }
  return { findings, resources };
}
/**
 * What a patch cannot be judged on: it holds only the fields it changes, so required fields and
 * CEL rules (which read the whole object: "either chart or chartRef must be set") wait for the
 * rendered resource.
 */
const PARTIAL_SKIPS = new Set(['missing-required', 'cel-rule', 'cel-error', 'cel-cost']);

function validateChunk(
  text: string,
  schemas: SchemaRegistry | undefined,
  context: FileContext,
  exact: boolean,
): ChunkResult {
  // Most documents are plain block YAML: the fast parser builds the same nodes for them.
  const parsed = (exact ? undefined : parseManifestFast(text)) ?? parseManifestText(text);
  const findings: Finding[] = [];
  let resources = 0;
  let resourceLike = false;
  for (const document of parsed.documents) {
    const syntax = yamlSyntaxFindings(document);
    findings.push(...syntax);
    const nodes = resourceNodes(document, parsed.lines);
    findings.push(...nodes.findings);
    for (const resource of nodes.resources) {
      findings.push(...resourceIdentityFindings(resource.identity, resource.root.has('spec')));
      if (schemas && !syntax.some((finding) => finding.severity === 'error')) {
        findings.push(...schemaFindings(resource, schemas, parsed.lines, context));
      }
      if (context.encryptedSecrets) {
        findings.push(...plainSecretFindings(resource, parsed.lines));
      }
      if (resource.identity.apiVersion && resource.identity.kind) {
        resources++;
      }
    }
    resourceLike ||= meantAsResource(document.identity);
    // Nothing of a document nested too deep is read, so it may be a manifest: say so.
    resourceLike ||= syntax.some((finding) => finding.code === 'yaml-too-deep');
  }
  const kept = context.partial
    ? findings.filter((finding) => !PARTIAL_SKIPS.has(finding.code))
    : findings;
  return { findings: scrubbed(kept, text), resources, resourceLike };
}

/**
 * The findings of a document that may hold a Secret with any of its values taken out of their
 * messages: messages name types, never Secret values, and this keeps it so whatever a message
 * quotes (a second line of defence behind `describeValue` and `yamlSyntaxFindings`).
 */
function scrubbed(findings: Finding[], text: string): Finding[] {
  if (findings.length === 0 || !mayHoldSecret(text)) {
    return findings;
  }
  const values = secretValuesOf(text);
  return findings.map((finding) => {
    const message = scrubSecretValues(finding.message, values);
    return message === finding.message ? finding : { ...finding, message };
  });
}

function shift(finding: Finding, lines: number): Finding {
  if (lines === 0) {
    return finding;
  }
  const move = (range: Range): Range => ({
    start: { line: range.start.line + lines, character: range.start.character },
    end: { line: range.end.line + lines, character: range.end.character },
  });
  return {
    ...finding,
    range: move(finding.range),
    ...(finding.fixes
      ? { fixes: finding.fixes.map((fix) => ({ ...fix, range: move(fix.range) })) }
      : {}),
  };
}
