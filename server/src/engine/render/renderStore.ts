/**
 * The disk tier of the render cache, in the extension's storage: a new session (a window reload,
 * a restarted server) reuses renders whose inputs did not change instead of running the tools
 * again. Entries are keyed as the memory cache keys them (a hash of every input file, the
 * binary's identity and the options), so an entry is valid exactly when its key is asked for.
 *
 * With a key (the editor keeps it in its secret storage, the OS keychain), every entry is
 * encrypted (AES-256-GCM, bound to its key) and renders holding `Secret` resources are kept too.
 * Without one, a render holding a Secret is never written. Secret values substituted into other
 * resources (callers say so) are never written either way, so no plain Secret value reaches the
 * disk.
 * The store is bounded in bytes; the least recently used entries go first. A file that cannot
 * be read or does not hold what was written is a miss, never an error.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderedResource } from './types';

/** What a render store keeps of a render (the memory cache's entry). */
export interface StoredRender {
  yaml: string;
  resources: RenderedResource[];
}

const FORMAT = 1;
const SEALED = 2;
/** Default bound of the whole store. */
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** A render larger than this is not kept on disk. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
const KEY = /^[0-9a-f]{64}$/;

export interface RenderStoreOptions {
  /** Bound of the whole store in bytes (default 256 MB). */
  readonly maxBytes?: number;
  /** 32 bytes: entries are encrypted, and renders holding a Secret are kept too. */
  readonly key?: Buffer;
}

export class RenderStore {
  private bytes: number | undefined;
  private readonly maxBytes: number;
  private readonly key: Buffer | undefined;

  constructor(
    readonly dir: string,
    options: RenderStoreOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.key = options.key?.length === 32 ? options.key : undefined;
  }

  /** The render stored under `key`; undefined when absent, unreadable or not ours. */
  read(key: string): StoredRender | undefined {
    if (!KEY.test(key)) return undefined;
    const file = this.fileOf(key);
    let text: string;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.size > MAX_ENTRY_BYTES) return undefined;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const entry = parseEntry(this.key ? (open(text, key, this.key) ?? '') : text, key);
    if (!entry) return undefined;
    // Touched, so that eviction finds it recently used.
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // A store on a read-only disk still answers.
    }
    return entry;
  }

  /** Keeps `render` under `key`, unless it holds a Secret or is too large. */
  write(key: string, render: StoredRender): void {
    if (!KEY.test(key)) return;
    if (!this.key && render.resources.some((resource) => resource.kind === 'Secret')) return;
    const plain = JSON.stringify({ format: FORMAT, key, ...render });
    const text = this.key ? seal(plain, key, this.key) : plain;
    const size = Buffer.byteLength(text);
    if (size > MAX_ENTRY_BYTES) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const file = this.fileOf(key);
      const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      fs.writeFileSync(temp, text, { mode: 0o600 });
      fs.renameSync(temp, file);
      this.bytes = (this.bytes ?? this.measure()) + size;
      if (this.bytes > this.maxBytes) this.evict();
    } catch {
      // A full or read-only disk: the memory cache still serves this session.
    }
  }

  private fileOf(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  private entries(): Array<{ file: string; size: number; used: number }> {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const entries: Array<{ file: string; size: number; used: number }> = [];
    for (const name of names) {
      if (!name.endsWith('.json') && !name.endsWith('.tmp')) continue;
      const file = path.join(this.dir, name);
      try {
        const stat = fs.statSync(file);
        if (stat.isFile()) entries.push({ file, size: stat.size, used: stat.mtimeMs });
      } catch {
        // Removed meanwhile.
      }
    }
    return entries;
  }

  private measure(): number {
    return this.entries().reduce((sum, entry) => sum + entry.size, 0);
  }

  /** Removes the least recently used entries until the store is within 3/4 of its bound. */
  private evict(): void {
    const entries = this.entries().sort((a, b) => a.used - b.used);
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    for (const entry of entries) {
      if (total <= (this.maxBytes * 3) / 4) break;
      try {
        fs.unlinkSync(entry.file);
        total -= entry.size;
      } catch {
        // Another server removed it.
      }
    }
    this.bytes = total;
  }
}

/** `plain` encrypted with `secret`, bound to the entry's `key` (a copy under another key fails). */
function seal(plain: string, key: string, secret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.from(key));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return JSON.stringify({
    format: SEALED,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  });
}

/** The plain text of a sealed entry; undefined when it is not one, or not for this key. */
function open(text: string, key: string, secret: Buffer): string | undefined {
  try {
    const entry = JSON.parse(text) as Record<string, unknown>;
    if (entry.format !== SEALED) return undefined;
    const { iv, tag, data } = entry;
    if (typeof iv !== 'string' || typeof tag !== 'string' || typeof data !== 'string') {
      return undefined;
    }
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(key));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

function parseEntry(text: string, key: string): StoredRender | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if (entry.format !== FORMAT || entry.key !== key || typeof entry.yaml !== 'string') {
    return undefined;
  }
  if (!Array.isArray(entry.resources) || !entry.resources.every(isResource)) return undefined;
  return { yaml: entry.yaml, resources: entry.resources };
}

function isResource(value: unknown): value is RenderedResource {
  if (typeof value !== 'object' || value === null) return false;
  const resource = value as Record<string, unknown>;
  return (
    typeof resource.apiVersion === 'string' &&
    typeof resource.kind === 'string' &&
    typeof resource.name === 'string' &&
    typeof resource.text === 'string' &&
    (resource.namespace === undefined || typeof resource.namespace === 'string') &&
    (resource.object === undefined ||
      (typeof resource.object === 'object' &&
        resource.object !== null &&
        !Array.isArray(resource.object)))
  );
}
