/**
 * Plain data shared by every stage of the engine. Positions are zero-based, with `character`
 * counted in UTF-16 code units (the LSP convention); the CLI converts them to one-based columns.
 */
import type { ConfigHint } from './configHint';

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One problem found in a document, anchored on the key or value that causes it. */
export interface Finding {
  readonly range: Range;
  readonly severity: Severity;
  /** Stable identifier users can search for and ignore, e.g. `yaml-syntax`. */
  readonly code: string;
  /** A sentence that says what is wrong and what to do. */
  readonly message: string;
  /** The field at fault, as the API server writes it (`spec.template.spec.containers[0].image`). */
  readonly fieldPath?: string;
  /**
   * `key` when the range is the key of `fieldPath` rather than its value (a missing field is
   * reported on its parent's key): a rendered finding is placed on the same part of its source.
   */
  readonly fieldPart?: 'key';
  /** Edits that fix the problem mechanically (offered as quick fixes). */
  readonly fixes?: readonly Fix[];
  /** The knob the message's fix is about; each face names it (a setting, a flag). */
  readonly hint?: ConfigHint;
  /** Other places that explain the finding (the template line that uses a wrong value). */
  readonly related?: readonly RelatedPlace[];
}

/** A place in another file (or elsewhere in the same one) that a finding points to. */
export interface RelatedPlace {
  readonly file: string;
  readonly range: Range;
  /** What the place is, in a few words (`used by this template line`). */
  readonly message: string;
}

/** A text edit that fixes a finding. */
export interface Fix {
  readonly title: string;
  readonly range: Range;
  readonly newText: string;
}

/** A finding together with the file it belongs to. */
export interface FileFinding extends Finding {
  readonly file: string;
}
