import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBases } from '../../scripts/oracle/bases';
import { sampleCases } from '../../scripts/oracle/cases';
import { judgeAll } from '../../scripts/oracle/judge';
import type { Judgement } from '../../scripts/oracle/judge';
import { knownMissReason } from '../../scripts/oracle/knownMisses';
import { AGREEMENT_TARGET, summarize } from '../../scripts/oracle/report';
import { ORACLE_NAMESPACE, startOracleSession } from '../../scripts/oracle/session';
import type { OracleSession } from '../../scripts/oracle/session';

/*
 * A fixed-seed sample of `npm run oracle` (the differential oracle): generated mutations of
 * valid manifests of every kind, judged by a real kube-apiserver (server-side apply, dryRun=All,
 * strict field validation) and by the validator. The full run takes a larger sample and any seed.
 */
const SEED = 1;
const CASES = 600;

function listed(judgements: readonly Judgement[]): string {
  return judgements
    .map(
      (j) =>
        `${j.oracleCase.id}\n  server: ${j.server.accepted ? 'accepted' : j.server.message.split('\n')[0]}\n  ours: ${j.errors.map((f) => f.message).join(' | ') || 'accepted'}`,
    )
    .join('\n');
}

describe(`differential oracle, seed ${SEED}: the validator against kube-apiserver`, () => {
  let session: OracleSession;
  let judgements: Judgement[];

  before(async () => {
    session = await startOracleSession();
    const cases = sampleCases(await loadBases(), session.registry, { seed: SEED, count: CASES });
    judgements = await judgeAll(cases, session.kube, session.registry, ORACLE_NAMESPACE, {
      concurrency: 3,
    });
  });

  after(async () => {
    await session?.stop();
  });

  it('samples at least 20 kinds, valid manifests and mutations the server rejects', () => {
    const summary = summarize(judgements);
    assert.ok(summary.kinds >= 20, `${summary.kinds} kinds`);
    assert.ok(summary.cases >= CASES * 0.9, `${summary.cases} cases`);
    assert.ok(summary.serverRejects > summary.cases / 4, `${summary.serverRejects} rejections`);
    assert.ok(
      judgements.some((j) => j.oracleCase.id.endsWith(':valid') && j.server.accepted),
      'the valid bases are in the sample',
    );
  });

  it('reports no error on a manifest the server accepts', () => {
    const falseErrors = judgements.filter((j) => j.verdict === 'falseError');
    assert.equal(falseErrors.length, 0, listed(falseErrors));
  });

  it('reports every rejection the manifest alone decides', () => {
    const misses = judgements.filter((j) => j.verdict === 'miss' && !knownMissReason(j));
    assert.equal(misses.length, 0, listed(misses));
  });

  it(`agrees on at least ${AGREEMENT_TARGET * 100}% of the cases`, () => {
    const summary = summarize(judgements);
    assert.ok(summary.agreement >= AGREEMENT_TARGET, `${summary.agreed}/${summary.judged} agree`);
  });
});
