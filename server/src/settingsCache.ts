/**
 * Asks the client for the `gitopsWorkbench` section per resource and caches the parsed answer
 * until the configuration changes (the vscode-eslint way). Knows no connection: it is given the
 * function that asks, so tests give it a plain object.
 */
import { DEFAULT_SETTINGS, parseSettings } from './settings';
import type { Settings } from './settings';

/** What the services read settings from. */
export interface SettingsProvider {
  /** The settings for a resource (a document URI), or for the window when none is given. */
  get(scopeUri?: string): Promise<Settings>;
}

/**
 * Asks the client for the section: the raw answer, or undefined when the client cannot be asked
 * (it has no `workspace/configuration`), which means the defaults.
 */
export type SectionSource = (scopeUri: string | undefined) => Promise<unknown> | undefined;

const WINDOW = '';

export class SettingsCache implements SettingsProvider {
  private readonly cache = new Map<string, Promise<Settings>>();
  /** Problems said already, so a malformed setting is said once, not on every read. */
  private readonly said = new Set<string>();

  constructor(
    private readonly source: SectionSource,
    private readonly warn: (message: string) => void,
  ) {}

  get(scopeUri?: string): Promise<Settings> {
    const key = scopeUri ?? WINDOW;
    let settings = this.cache.get(key);
    if (!settings) {
      settings = this.fetch(scopeUri);
      this.cache.set(key, settings);
    }
    return settings;
  }

  /** A document closed: its scope is asked again when it opens. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** The configuration changed: everything is asked again, and problems said again. */
  clear(): void {
    this.cache.clear();
    this.said.clear();
  }

  private async fetch(scopeUri: string | undefined): Promise<Settings> {
    let section: unknown;
    try {
      const asked = this.source(scopeUri);
      if (asked === undefined) return DEFAULT_SETTINGS;
      section = await asked;
    } catch {
      // Asked again next time: a failed request is no answer to keep.
      this.cache.delete(scopeUri ?? WINDOW);
      return DEFAULT_SETTINGS;
    }
    const { settings, problems } = parseSettings(section);
    for (const problem of problems) {
      if (!this.said.has(problem)) {
        this.said.add(problem);
        this.warn(problem);
      }
    }
    return settings;
  }
}
