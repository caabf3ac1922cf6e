import type { Judgement } from './judge';
import { knownMissReason } from './knownMisses';

/** The share of cases on which the validator must agree with the API server. */
export const AGREEMENT_TARGET = 0.99;

export interface OracleSummary {
  readonly cases: number;
  readonly kinds: number;
  /** Cases the API server judged on validation (all but those that need cluster state). */
  readonly judged: number;
  readonly agreed: number;
  readonly falseErrors: number;
  readonly misses: number;
  readonly clusterState: number;
  /** Both reject, but our error is not on the mutated field. */
  readonly offFocus: number;
  readonly serverRejects: number;
  /** agreed / judged. */
  readonly agreement: number;
}

export function summarize(judgements: readonly Judgement[]): OracleSummary {
  const count = (test: (judgement: Judgement) => boolean): number => judgements.filter(test).length;
  const clusterState = count((j) => j.verdict === 'clusterState');
  const judged = judgements.length - clusterState;
  const agreed = count((j) => j.verdict === 'agree');
  return {
    cases: judgements.length,
    kinds: new Set(judgements.map((j) => j.oracleCase.kind)).size,
    judged,
    agreed,
    falseErrors: count((j) => j.verdict === 'falseError'),
    misses: count((j) => j.verdict === 'miss'),
    clusterState,
    offFocus: count((j) => j.offFocus),
    serverRejects: count((j) => !j.server.accepted),
    agreement: judged === 0 ? 1 : agreed / judged,
  };
}

const firstLine = (text: string, max = 220): string => {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
};

const ours = (judgement: Judgement): string =>
  judgement.errors.length === 0
    ? 'accepted'
    : judgement.errors
        .slice(0, 2)
        .map((finding) => `${finding.range.start.line + 1}: ${firstLine(finding.message, 160)}`)
        .join(' | ');

function table(judgements: readonly Judgement[]): string {
  const kinds = [...new Set(judgements.map((j) => j.oracleCase.kind))].sort();
  const header = [
    'kind',
    'cases',
    'server rejects',
    'agree',
    'false errors',
    'misses',
    'cluster state',
    'off field',
  ];
  const rows = kinds.map((kind) => {
    const of = judgements.filter((j) => j.oracleCase.kind === kind);
    const n = (test: (j: Judgement) => boolean): string => String(of.filter(test).length);
    return [
      kind,
      String(of.length),
      n((j) => !j.server.accepted),
      n((j) => j.verdict === 'agree'),
      n((j) => j.verdict === 'falseError'),
      n((j) => j.verdict === 'miss'),
      n((j) => j.verdict === 'clusterState'),
      n((j) => j.offFocus),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function listing(title: string, judgements: readonly Judgement[], withOurs: boolean): string {
  if (judgements.length === 0) return `${title}: none`;
  const rows = judgements.map((j) => {
    const reason =
      j.verdict === 'miss' || j.verdict === 'clusterState' ? knownMissReason(j) : undefined;
    return (
      `  ${j.oracleCase.id}\n    server: ${j.server.accepted ? 'accepted' : firstLine(j.server.message)}` +
      (withOurs ? `\n    ours:   ${ours(j)}` : '') +
      (reason ? `\n    why:    ${reason}` : '')
    );
  });
  return `${title} (${judgements.length}):\n${rows.join('\n')}`;
}

export interface ReportMeta {
  readonly seed: number;
  readonly seconds: number;
  readonly kubernetesVersion: string;
  readonly verbose: boolean;
}

export function formatReport(judgements: readonly Judgement[], meta: ReportMeta): string {
  const s = summarize(judgements);
  const percent = (s.agreement * 100).toFixed(2);
  const parts = [
    `differential oracle: seed ${meta.seed}, ${s.cases} cases of ${s.kinds} kinds against kube-apiserver ${meta.kubernetesVersion} in ${meta.seconds.toFixed(0)} s`,
    `  server rejects ${s.serverRejects} of ${s.cases}`,
    `  agreement:     ${s.agreed}/${s.judged} (${percent}%) of the cases the server judged on validation`,
    `  false errors:  ${s.falseErrors} (we reject, the server accepts)`,
    `  misses:        ${s.misses} (the server rejects, we accept)`,
    `  cluster state: ${s.clusterState} (refused by admission or for lack of another object; not counted)`,
    `  off field:     ${s.offFocus} (both reject, but our error is not on the mutated field)`,
    '',
    table(judgements),
    '',
    listing(
      'false errors',
      judgements.filter((j) => j.verdict === 'falseError'),
      true,
    ),
    '',
    listing(
      'misses',
      judgements.filter((j) => j.verdict === 'miss'),
      false,
    ),
    '',
    listing(
      'needs cluster state',
      judgements.filter((j) => j.verdict === 'clusterState'),
      true,
    ),
  ];
  if (meta.verbose) {
    parts.push(
      '',
      listing(
        'rejected by both, off the mutated field',
        judgements.filter((j) => j.offFocus),
        true,
      ),
    );
  }
  return parts.join('\n') + '\n';
}
