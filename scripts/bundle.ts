import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tokenizer } from 'acorn';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { escapeNonAscii, nonAsciiAt } from './asciiText';

/**
 * Bundles the three entry points into dist/: the VS Code client (`vscode` external), the
 * language server and the CLI. Everything else is bundled, so the VSIX needs no node_modules.
 */
export async function bundle(root: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const version = manifest.version;
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    absWorkingDir: root,
    define: { PACKAGE_VERSION: JSON.stringify(version) },
    // yaml's ES module build (the same code as its CommonJS one, which Node resolves): bundled
    // as modules, its functions are called directly, not through the getters esbuild gives a
    // CommonJS package's exports (isScalar and isMap alone cost 2.5% of a check).
    alias: { yaml: './node_modules/yaml/browser/index.js' },
  };
  await copySchemaBundles(root);
  await Promise.all([
    build({
      ...common,
      entryPoints: ['client/src/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
    }),
    build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
    // The executable is a small loader that starts the CLI's bundle from V8's code cache.
    build({
      ...common,
      entryPoints: ['server/src/cliLoader.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
    }),
    build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cliMain.js' }),
    // The CLI's check workers load only this (a quarter of the CLI's code): they start sooner.
    build({
      ...common,
      entryPoints: ['server/src/cli/checkWorker.ts'],
      outfile: 'dist/checkWorker.js',
    }),
  ]);
  for (const name of ['extension.js', 'server.js', 'cli.js', 'cliMain.js', 'checkWorker.js']) {
    await asciiOnly(path.join(root, 'dist', name));
  }
}

/**
 * Escapes what is left of non-ASCII characters in a bundle. esbuild escapes them everywhere but
 * in regular expression literals (`/µs/`), where `\uXXXX` is the same character. A bundle of
 * ASCII only is read as one byte per character (`compileCache.ts`): V8 keeps it as a one-byte
 * string, half the size, and a start is measurably quicker (a `check` of 2 MB: 0.80 s against
 * 0.86 s). acorn's tokenizer says where each character is: in a regular expression, a string or
 * a name the escape reads the same, in a comment it changes nothing; anywhere else (a template literal, whose raw text a tag can
 * read; after a backslash) the build stops, to escape it in its source. Columns after an escaped
 * character on its line move by five in the source map.
 */
export async function asciiOnly(file: string): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  const places = nonAsciiAt(text);
  if (places.length === 0) return;
  const comments: Array<{ start: number; end: number }> = [];
  const tokens = [
    ...tokenizer(text, {
      ecmaVersion: 'latest',
      allowHashBang: true,
      onComment: (_block, _text, start, end) => comments.push({ start, end }),
    }),
  ].filter((token) => token.end > (places[0] ?? 0));
  const escapable = new Set(['regexp', 'string', 'name']);
  const within = (at: number) => (span: { start: number; end: number }) =>
    span.start <= at && at < span.end;
  for (const at of places) {
    if (comments.some(within(at))) continue;
    const token = tokens.find(within(at));
    if (!token || !escapable.has(token.type.label) || text[at - 1] === '\\') {
      throw new Error(
        `${file}: a non-ASCII character at ${at} (${token?.type.label ?? 'outside any token'}) cannot be escaped where it is; escape it in its source.`,
      );
    }
  }
  await fs.writeFile(file, escapeNonAscii(text));
}

/** The schema bundles ship next to the server and CLI, read at run time, not bundled into JS. */
async function copySchemaBundles(root: string): Promise<void> {
  const from = path.join(root, 'server', 'src', 'engine', 'schemas', 'bundled');
  const to = path.join(root, 'dist', 'schemas');
  await fs.rm(to, { recursive: true, force: true });
  await fs.mkdir(to, { recursive: true });
  for (const name of await fs.readdir(from)) {
    if (name.endsWith('.json') || name.endsWith('.json.gz')) {
      await fs.copyFile(path.join(from, name), path.join(to, name));
    }
  }
}
