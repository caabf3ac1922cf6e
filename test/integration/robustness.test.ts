import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { manyDeployments } from './support/generatedManifests';
import { TestLspClient } from './support/lspClient';

/** Resident memory of a process in MB (Linux /proc, else ps). */
function rssMb(pid: number): number {
  if (process.platform === 'linux') {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }
  return (
    Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) /
    1024
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('language server robustness', () => {
  let client: TestLspClient;
  const small = 'file:///robust/small.yaml';
  before(async () => {
    client = await TestLspClient.start();
    await client.open(small, 'kind: Pod\n');
    await client.diagnostics(small); // loads the schemas
  });
  after(async () => {
    await client.stop();
  });

  it('answers other requests within 100 ms while it validates a 50,000-line file', async () => {
    const big = 'file:///robust/big.yaml';
    const text = manyDeployments(2500, 1234);
    assert.ok(text.split('\n').length >= 50_000);
    await client.open(big, text);
    const bigReport = client.diagnostics(big);
    // Ask about another document while the big one is being validated.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { ms } = await timed(() => client.diagnostics(small, undefined));
    const report = (await bigReport) as FullDocumentDiagnosticReport;
    process.stdout.write(
      `robustness: small request answered in ${ms.toFixed(1)} ms during a 50k-line validation\n`,
    );
    assert.ok(ms < 100, `the small request took ${ms.toFixed(1)} ms`);
    assert.ok(
      report.items.some((item) => item.code === 'unknown-field'),
      'the typo in the big file is found',
    );
    const pid = client.pid;
    assert.ok(pid !== undefined);
    const rss = rssMb(pid);
    process.stdout.write(`robustness: server RSS after the 50k-line file: ${rss.toFixed(0)} MB\n`);
    assert.ok(rss < 300, `server RSS ${rss.toFixed(0)} MB`);
  });

  it('survives an alias bomb, conflict markers and binary content, and keeps answering', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) {
      const previous = i === 0 ? 'a' : `l${i - 1}`;
      lines.push(
        `l${i}: &l${i} [*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous}]`,
      );
    }
    lines.push(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: bomb',
      'data:',
      '  x: *l8',
    );
    const inputs: Record<string, string> = {
      'file:///robust/bomb.yaml': lines.join('\n'),
      'file:///robust/conflict.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n<<<<<<< HEAD\n  a: "1"\n=======\n  a: "2"\n>>>>>>> branch\n',
      'file:///robust/binary.yaml': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000',
    };
    for (const [uri, text] of Object.entries(inputs)) {
      await client.open(uri, text);
      const { ms } = await timed(() => client.diagnostics(uri));
      assert.ok(ms < 2000, `${uri} took ${ms.toFixed(0)} ms`);
      const { ms: smallMs } = await timed(() => client.diagnostics(small));
      assert.ok(smallMs < 100, `after ${uri} a small request took ${smallMs.toFixed(1)} ms`);
    }
    const conflict = (await client.diagnostics(
      'file:///robust/conflict.yaml',
    )) as FullDocumentDiagnosticReport;
    assert.ok(
      conflict.items.some((item) => item.code === 'yaml-syntax'),
      'conflict markers are reported as YAML errors',
    );
  });
});
