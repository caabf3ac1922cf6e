/**
 * The findings of a file as the Problems panel pulls them (workspace diagnostics, nothing
 * opened), waited for until one of them matches.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import type { WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import type { TestLspClient } from './lspClient';

/** The workspace's findings in `file` once one of them says `expected`; fails after 90 s. */
export async function workspaceFinding(
  client: TestLspClient,
  file: string,
  expected: RegExp,
): Promise<string[]> {
  const uri = pathToFileURL(file).href;
  const deadline = Date.now() + 90_000;
  let messages: string[] = [];
  while (Date.now() < deadline) {
    const report = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, {
      previousResultIds: [],
    });
    const items = report.items.find(
      (item): item is WorkspaceDocumentDiagnosticReport => item.uri === uri && item.kind === 'full',
    );
    messages = items && 'items' in items ? items.items.map((item) => item.message) : [];
    if (messages.some((message) => expected.test(message))) return messages;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(
    `no finding in ${file} matched ${String(expected)}; last: ${JSON.stringify(messages)}`,
  );
}
