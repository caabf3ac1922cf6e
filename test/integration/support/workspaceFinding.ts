/**
 * The findings of a file as the Problems panel pulls them (workspace diagnostics, nothing
 * opened), pulled again each time the server says they changed, until they are as expected.
 */
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol/node';
import type { WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import type { TestLspClient } from './lspClient';

const LIMIT_MS = 90_000;

/** The messages of `file`'s findings once `done` holds for them; fails after 90 s. */
export async function workspaceFindings(
  client: TestLspClient,
  file: string,
  done: (messages: string[]) => boolean,
  what: string,
): Promise<string[]> {
  const uri = pathToFileURL(file).href;
  const deadline = Date.now() + LIMIT_MS;
  let messages: string[] = [];
  for (;;) {
    const seen = client.refreshRequests;
    const report = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, {
      previousResultIds: [],
    });
    const items = report.items.find(
      (item): item is WorkspaceDocumentDiagnosticReport => item.uri === uri && item.kind === 'full',
    );
    messages = items && 'items' in items ? items.items.map((item) => item.message) : [];
    if (done(messages)) return messages;
    const left = deadline - Date.now();
    if (left <= 0) break;
    // The server asks the editor to pull again whenever findings change.
    await client.refreshAfter(seen, Math.min(left, 5_000));
  }
  assert.fail(`${file}: ${what} did not happen; last findings: ${JSON.stringify(messages)}`);
}

/** The workspace's findings in `file` once one of them says `expected`; fails after 90 s. */
export function workspaceFinding(
  client: TestLspClient,
  file: string,
  expected: RegExp,
): Promise<string[]> {
  return workspaceFindings(
    client,
    file,
    (messages) => messages.some((message) => expected.test(message)),
    `a finding matching ${String(expected)}`,
  );
}
