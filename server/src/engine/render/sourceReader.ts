/** Reads workspace files with unsaved editor buffers taking the place of what is on disk. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export class SourceReader {
  private readonly overlays = new Map<string, string>();

  constructor(overlays: ReadonlyMap<string, string> = new Map()) {
    for (const [file, text] of overlays) this.overlays.set(path.resolve(file), text);
  }

  /** The unsaved text of `file`, if an editor holds one. */
  overlay(file: string): string | undefined {
    return this.overlays.get(path.resolve(file));
  }

  async readText(file: string): Promise<string> {
    return this.overlay(file) ?? fs.readFile(file, 'utf8');
  }

  async readBytes(file: string): Promise<Buffer> {
    const text = this.overlay(file);
    return text !== undefined ? Buffer.from(text, 'utf8') : fs.readFile(file);
  }

  async isFile(file: string): Promise<boolean> {
    if (this.overlay(file) !== undefined) return true;
    return fs.stat(file).then(
      (stat) => stat.isFile(),
      () => false,
    );
  }

  async isDirectory(dir: string): Promise<boolean> {
    return fs.stat(dir).then(
      (stat) => stat.isDirectory(),
      () => false,
    );
  }

  /** Names of regular files directly in `dir`, with unsaved new files included. */
  async filesIn(dir: string): Promise<string[]> {
    const names = new Set<string>();
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile()) names.add(entry.name);
    for (const file of this.overlays.keys())
      if (path.dirname(file) === path.resolve(dir)) names.add(path.basename(file));
    return [...names].sort();
  }

  /** Names of sub-folders of `dir`. */
  async foldersIn(dir: string): Promise<string[]> {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  }
}

export const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** The kustomization file of `dir`, if it has one. */
export async function kustomizationFileIn(
  reader: SourceReader,
  dir: string,
): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = path.join(dir, name);
    if (await reader.isFile(file)) return file;
  }
  return undefined;
}
