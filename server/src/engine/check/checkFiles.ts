import { promises as fs, readFileSync, statSync } from 'node:fs';
import { collectYamlFiles } from '../files/yamlFiles';
import type { PatchFileIndex } from '../kustomize/patchFiles';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { FileFinding } from '../types';
import { MAX_YAML_FILE_BYTES } from '../parse/boundedYaml';
import type { FileContext } from '../validate/fileContext';
import { fileTooLargeFinding, validateManifestText } from '../validate/validateManifests';

export interface CheckReport {
  readonly files: number;
  readonly resources: number;
  readonly findings: readonly FileFinding[];
  /** The units rendered and the resources they rendered, validated too (`check` of folders). */
  readonly rendered?: { readonly units: number; readonly resources: number };
}

export interface CheckOptions {
  readonly signal?: AbortSignal;
  /** Schemas to validate against; the CRDs of the checked files should be registered first. */
  readonly schemas?: SchemaRegistry;
  /** Files that kustomizations name as patches: validated as partial resources. */
  readonly patches?: Pick<PatchFileIndex, 'isPatch'>;
  /** What the repository says about each file (patches, transformers, encryption). */
  readonly contextOf?: (file: string) => FileContext | undefined;
  /**
   * Read each file with blocking calls: for a thread that has nothing else to do meanwhile (a
   * check worker), where a read handed to the thread pool only adds its wait.
   */
  readonly blockingReads?: boolean;
}

/** Validates every YAML file under `targets` with the same engine the language server uses. */
export async function checkPaths(
  targets: readonly string[],
  options: CheckOptions = {},
): Promise<CheckReport> {
  return checkFiles(await collectYamlFiles(targets, options.signal), options);
}

/** Validates the given files, in order. */
export async function checkFiles(
  files: readonly string[],
  options: CheckOptions = {},
): Promise<CheckReport> {
  const findings: FileFinding[] = [];
  let resources = 0;
  for (const file of files) {
    options.signal?.throwIfAborted();
    const { size } = options.blockingReads ? statSync(file) : await fs.stat(file);
    if (size > MAX_YAML_FILE_BYTES) {
      findings.push({ file, ...fileTooLargeFinding(size) });
      continue;
    }
    const text = options.blockingReads
      ? readFileSync(file, 'utf8')
      : await fs.readFile(file, 'utf8');
    const context = options.contextOf?.(file);
    const result = validateManifestText(text, {
      path: file,
      partial: options.patches?.isPatch(file) === true,
      ...(context ? { context } : {}),
      ...(options.schemas ? { schemas: options.schemas } : {}),
    });
    resources += result.resources;
    for (const finding of result.findings) {
      findings.push({ file, ...finding });
    }
  }
  return { files: files.length, resources, findings };
}

/** True when a report holds at least one error, which makes `check` exit 1. */
export function hasErrors(report: CheckReport): boolean {
  return report.findings.some((finding) => finding.severity === 'error');
}
