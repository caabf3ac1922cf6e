// Runs inside desktop VS Code (bundled by runDesktop.ts): the expectations of the e2e tier that an
// extension can check through the API.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { runChecks, waitFor } from './checks';

const extensionId = 'gitops-workbench.gitops-workbench';
const diagnosticSource = 'gitops-workbench';
const brokenYaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [unclosed\n';

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'VS Code was started without a folder');
  return folder.uri;
}

async function openYaml(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

/** Waits until our server has published a diagnostic for `document`. */
function ourDiagnostics(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const probe = (): vscode.Diagnostic[] | undefined => {
    const found = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.source === diagnosticSource);
    return found.length > 0 ? found : undefined;
  };
  return waitFor(
    `a diagnostic from "${diagnosticSource}" for ${path.basename(document.uri.fsPath)}`,
    60_000,
    (listener) => vscode.languages.onDidChangeDiagnostics(listener),
    probe,
  );
}

export async function run(): Promise<void> {
  // The folder is empty (no kustomization.yaml), so only opening a YAML file can activate us.
  const extension = vscode.extensions.getExtension(extensionId);
  await runChecks([
    {
      name: 'the extension activates on a YAML file',
      run: async () => {
        assert.ok(extension, `${extensionId} is not installed in this VS Code`);
        assert.equal(
          extension.isActive,
          false,
          'the extension was active before any YAML file was opened',
        );
        await ourDiagnostics(
          await openYaml('missing-api-version.yaml', 'kind: ConfigMap\nmetadata:\n  name: a\n'),
        );
        assert.ok(extension.isActive, 'a diagnostic arrived but the extension is not active');
      },
    },
    {
      name: 'its commands are registered',
      run: async () => {
        const contributes = (
          extension?.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }
        ).contributes;
        const contributed = contributes?.commands?.map((c) => c.command) ?? [];
        assert.ok(contributed.length > 0, 'package.json contributes no commands');
        const registered = new Set(await vscode.commands.getCommands(true));
        const missing = contributed.filter((id) => !registered.has(id));
        assert.deepEqual(
          missing,
          [],
          `commands contributed but not registered: ${missing.join(', ')}`,
        );
      },
    },
    {
      name: `a broken YAML file gets an error from "${diagnosticSource}"`,
      run: async () => {
        const diagnostics = await ourDiagnostics(await openYaml('broken.yaml', brokenYaml));
        assert.ok(
          diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
          `no error among: ${diagnostics.map((d) => d.message).join('; ')}`,
        );
      },
    },
  ]);
}
