/**
 * The one loop that turns units into findings, for the editor and the CLI alike: render each
 * unit, then check what it renders against the schemas and against what every rendered unit
 * defines, then say once per tool that a missing helm or kustomize left units unchecked. The
 * results are kept per unit, so the editor re-renders only the units an edit touched.
 */
import { readFileSync } from 'node:fs';
import { renderFailureFinding, renderedFindings, unitResourcesOf } from '../check/renderedFindings';
import { WorkspaceResources } from '../crossref';
import type { RenderedUnitResources } from '../crossref';
import type { RenderError, RenderResult, RenderUnit } from '../render/types';
import type { SchemaRegistry } from '../schemas/schemaRegistry';
import type { FileFinding } from '../types';
import { mapLimit } from '../status/mapLimit';

/** One unit to check, and the root it renders in; `key` tells units of repositories apart. */
export interface CheckEntry {
  readonly key: string;
  readonly unit: RenderUnit;
  readonly root: string;
}

export interface CheckOptions {
  readonly render: (entry: CheckEntry, signal: AbortSignal) => Promise<RenderResult>;
  readonly registry: SchemaRegistry;
  /** A source file's text (an editor buffer, else the disk). */
  readonly read?: (file: string) => string | undefined;
  /** Names that exist outside the repository, by kind. */
  readonly external?: Readonly<Record<string, readonly string[]>>;
  readonly signal: AbortSignal;
  /** Told about each unit that did not render. */
  readonly log?: (message: string) => void;
  /**
   * True when the engine's own values findings already say why helm refused a unit's values
   * (its values.schema.json): the render failure would report the same mistake twice.
   */
  readonly explainsRefusal?: (unit: RenderUnit) => Promise<boolean>;
  /** How many units render at once (default 1); the tool queue bounds the processes anyway. */
  readonly parallel?: number;
  /** Told when each unit has rendered, and how. */
  readonly progress?: (entry: CheckEntry, result: RenderResult) => void;
}

interface Outcome {
  readonly unit: RenderUnit;
  readonly findings: readonly FileFinding[];
  readonly failure?: RenderError;
}

export class UnitChecks {
  private readonly outcomes = new Map<string, Outcome>();
  /** What each unit rendered last, so each unit's checks know what the others define. */
  private readonly rendered = new Map<string, RenderedUnitResources>();
  /** The files each unit's last render read (its resources' origins). */
  private readonly reads = new Map<string, Set<string>>();
  /**
   * Files outside a chart that set values its templates read (a values file in use, a
   * `valuesFrom` ConfigMap): an edit there renders the unit again, though the file does not
   * belong to the unit the way its sources do.
   */
  private readonly valueFiles = new Map<string, Set<string>>();
  /**
   * Plain folders not rendered yet: only the checks of other units read what they render, so
   * they wait for a run that checks one (a folder of plain YAML alone is never rendered).
   */
  private readonly waiting = new Map<string, CheckEntry>();

  /**
   * Renders `entries` in order, then checks what each renders (a plain folder's files are
   * checked as files). Returns false when the signal stopped it.
   */
  async run(entries: readonly CheckEntry[], options: CheckOptions): Promise<boolean> {
    if (entries.every((entry) => entry.unit.renderer === 'plain')) {
      for (const entry of entries) {
        this.forget(entry.key);
        this.waiting.set(entry.key, entry);
      }
      return !options.signal.aborted;
    }
    const asked = new Set(entries.map((entry) => entry.key));
    const toRender = [
      ...[...this.waiting.values()].filter(({ key }) => !asked.has(key)),
      ...entries,
    ];
    this.waiting.clear();
    // Renders run side by side (the tool queue bounds the processes to the cores); their
    // results are kept in the entries' order, so findings do not depend on which ended first.
    const results: (RenderResult | undefined)[] = [];
    let stopped = false;
    await mapLimit(
      toRender.map((entry, index) => ({ entry, index })),
      options.parallel ?? 1,
      async ({ entry, index }) => {
        if (stopped || options.signal.aborted) return;
        const result = await options.render(entry, options.signal);
        if (options.signal.aborted || (!result.ok && result.error.reason === 'cancelled')) {
          stopped = true;
          return;
        }
        results[index] = result;
        options.progress?.(entry, result);
      },
    );
    if (stopped || options.signal.aborted) return false;
    const done: Array<{ entry: CheckEntry; result: RenderResult }> = [];
    toRender.forEach((entry, index) => {
      const result = results[index] as RenderResult;
      this.remember(entry, result);
      done.push({ entry, result });
    });
    const workspace = new WorkspaceResources([...this.rendered.values()]);
    const read = options.read ?? readSourceFile;
    for (const { entry, result } of done) {
      // A plain folder is only rendered so the others know what it defines: its files are
      // checked as files.
      if (entry.unit.renderer === 'plain') continue;
      if (result.ok) {
        this.outcomes.set(entry.key, {
          unit: entry.unit,
          findings: renderedFindings(
            entry.unit,
            result.resources,
            options.registry,
            read,
            { ...(options.external ? { external: options.external } : {}), workspace },
            result.secretValues,
          ),
        });
      } else {
        options.log?.(`${entry.unit.id}: ${result.error.message}`);
        // A values-schema refusal is kept when nothing else reports it: no mistake is lost.
        const explained =
          result.error.cause === 'valuesSchema' &&
          (await options.explainsRefusal?.(entry.unit)) === true;
        this.outcomes.set(entry.key, {
          unit: entry.unit,
          findings: [],
          ...(explained ? {} : { failure: result.error }),
        });
      }
    }
    return true;
  }

  /** The files the last render of a unit read; undefined before it rendered. */
  readsOf(key: string): ReadonlySet<string> | undefined {
    return this.reads.get(key);
  }

  /** Whether an edit of `file` may change what the unit renders, as far as its render told. */
  dependsOn(key: string, file: string): boolean {
    return this.reads.get(key)?.has(file) === true || this.valueFiles.get(key)?.has(file) === true;
  }

  /** Forgets units that are gone. */
  retain(keys: ReadonlySet<string>): void {
    for (const map of [this.outcomes, this.rendered, this.reads, this.valueFiles, this.waiting]) {
      for (const key of [...map.keys()]) if (!keys.has(key)) map.delete(key);
    }
  }

  /** Forgets what a unit rendered and found last. */
  private forget(key: string): void {
    for (const map of [this.outcomes, this.rendered, this.reads, this.valueFiles, this.waiting])
      map.delete(key);
  }

  /**
   * Every finding, each once (same file, place and code): the units' own, a failed render on
   * the unit, and for a missing helm or kustomize one warning per tool on the first unit it
   * left unchecked (the files themselves were still checked). With `units` (keys), only theirs,
   * in that order: a folder's own kustomization speaks before the apps that render it, and a
   * unit that is gone (its folder or app deleted, maybe while it rendered) says nothing.
   */
  findings(units?: readonly string[]): FileFinding[] {
    const all: FileFinding[] = [];
    const missingTools = new Set<string>();
    const outcomes = units
      ? units.flatMap((key) => this.outcomes.get(key) ?? [])
      : [...this.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([, outcome]) => outcome);
    for (const outcome of outcomes) {
      all.push(...outcome.findings);
      const failure = outcome.failure;
      if (!failure) continue;
      if (failure.reason !== 'binaryMissing') {
        all.push(renderFailureFinding(outcome.unit, failure, readSourceFile));
      } else if (!missingTools.has(outcome.unit.renderer)) {
        missingTools.add(outcome.unit.renderer);
        all.push({
          ...renderFailureFinding(outcome.unit, failure),
          severity: 'warning',
          code: 'render-skipped',
        });
      }
    }
    return withoutRepeats(all);
  }

  private remember(entry: CheckEntry, result: RenderResult): void {
    if (!result.ok) {
      this.rendered.delete(entry.key);
      return;
    }
    this.rendered.set(entry.key, {
      resources: unitResourcesOf(result.resources),
      options: entry.unit.namespace ? { defaultNamespace: entry.unit.namespace } : {},
    });
    this.valueFiles.set(
      entry.key,
      new Set(
        result.resources.flatMap((resource) =>
          (resource.origin?.values ?? []).map((origin) => origin.file),
        ),
      ),
    );
    this.reads.set(
      entry.key,
      new Set(
        result.resources.flatMap((resource) =>
          [resource.origin?.file, resource.origin?.via, ...(resource.origin?.alsoVia ?? [])].filter(
            (file): file is string => file !== undefined,
          ),
        ),
      ),
    );
  }
}

/** Findings with the same file, start and code reported once, the first kept. */
export function withoutRepeats<T extends FileFinding>(findings: readonly T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.file}\u0000${finding.range.start.line}:${finding.range.start.character}:${finding.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A source file's text on disk; undefined when it cannot be read. */
export function readSourceFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
