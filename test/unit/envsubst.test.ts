// Flux's variable substitution language as the workbench reads it. What Flux itself does with
// each form is judged in test/integration/fluxRenderOracle.test.ts (tools/fluxbuild runs
// fluxcd/pkg's SubstituteVariables); these are the workbench's own rules: values it cannot know
// stay as written, and hostile texts cost little.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubstitutionError, envsubst } from '../../server/src/engine/render/envsubst';

const known =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe('envsubst', () => {
  it('keeps an expression whose value is not known here as written, nested ones too', () => {
    const lookup = known({ APP: 'bazarr', EMPTY: '' });
    assert.equal(envsubst('name: ${CLAIM:-${APP}}', lookup), 'name: ${CLAIM:-${APP}}');
    assert.equal(envsubst('name: ${EMPTY:-${OTHER}}', lookup), 'name: ${EMPTY:-${OTHER}}');
    assert.equal(envsubst('name: ${APP:-${OTHER}}', lookup), 'name: bazarr');
    assert.equal(envsubst('n: ${OTHER^^} ${#OTHER}', lookup), 'n: ${OTHER^^} ${#OTHER}');
  });

  it('says where the text breaks Flux, without the rest of the file', () => {
    assert.throws(
      () => envsubst('host: atuin.${SECRET_DOMAIN\nnext: 1\n', known({})),
      (error: unknown) =>
        error instanceof SubstitutionError &&
        error.message === 'missing closing brace' &&
        error.expression === '${SECRET_DOMAIN',
    );
  });

  it('refuses expressions nested without end, at once', () => {
    const started = process.hrtime.bigint();
    assert.throws(() => envsubst('${A:-'.repeat(100_000), known({})), /nested more than 64 deep/);
    assert.throws(() => envsubst(`\${A:-${'x'.repeat(1_000_000)}`, known({})), SubstitutionError);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(elapsed < 2_000, `${elapsed} ms`);
  });

  it("reads globs, separators and empty values as Flux's fork of path.Match and its scanner do", () => {
    // Each pair was run through fluxcd/pkg/envsubst by a reviewer's harness.
    const lookup = known({ IMAGE: 'ghcr.io/org/app', P: 'a/b/c', S: '/abc', X: 'xay', E: '' });
    assert.equal(envsubst('${IMAGE##*/}', lookup), 'app');
    assert.equal(envsubst('${P%%/*}', lookup), 'a');
    assert.equal(envsubst('${S#?}', lookup), 'abc');
    assert.equal(envsubst('${X/a//b}', lookup), 'xby');
    assert.equal(envsubst('${X/a//}', lookup), 'xy');
    assert.equal(envsubst('${E%[0-9]}', lookup), '');
  });

  it('tells what each expression made and which variables it read', () => {
    const made: Array<[string, readonly string[]]> = [];
    envsubst('${A:-${B}}-${C^^}', known({ A: '', B: 'bee', C: 'sea' }), (output, read) =>
      made.push([output, [...read]]),
    );
    assert.deepEqual(made, [
      ['bee', ['B', 'A']],
      ['SEA', ['C']],
    ]);
  });

  it('trims by a glob in one pass, and leaves a hostile glob unread', () => {
    const lookup = known({ HOST: 'api.example.com', LONG: 'a'.repeat(100_000) });
    assert.equal(envsubst('${HOST%%.*}/${HOST##*.}', lookup), 'api/com');
    assert.equal(envsubst('${HOST#[a]*}', lookup), '${HOST#[a]*}');
    const glob = '*a'.repeat(1_000);
    assert.equal(envsubst(`\${LONG#${glob}}`, lookup), `\${LONG#${glob}}`);
  });
});
