import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = path.resolve(__dirname, '..', '..');

/** Lints a text as if it were a file of the project, with the project's own ESLint config. */
async function lintAs(relativePath: string, text: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    // The file does not exist, so no type information: lint with the project's rules minus the
    // type-aware ones, which is all the import boundary needs.
    overrideConfig: [tseslint.configs.disableTypeChecked],
  });
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, relativePath) });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? ''}: ${message.message}`);
}

describe('the engine boundary (eslint)', () => {
  it('fails the lint when an engine file imports vscode', async () => {
    const messages = await lintAs(
      'server/src/engine/probe.ts',
      "import * as vscode from 'vscode';\nexport const probe: unknown = vscode;\n",
    );
    assert.ok(
      messages.some((m) =>
        m.includes('The engine holds domain logic only: it must not import editor or LSP APIs.'),
      ),
      messages.join('\n'),
    );
  });

  it('fails the lint when an engine file imports the language server library', async () => {
    const messages = await lintAs(
      'server/src/engine/probe.ts',
      "import { createConnection } from 'vscode-languageserver/node';\nexport const probe: unknown = createConnection;\n",
    );
    assert.ok(messages.some((m) => m.includes('must not import editor or LSP APIs')));
  });

  it('allows the language server layer to import vscode-languageserver', async () => {
    const messages = await lintAs(
      'server/src/probe.ts',
      "import { createConnection } from 'vscode-languageserver/node';\nexport const probe: unknown = createConnection;\n",
    );
    assert.deepEqual(messages, []);
  });
});
