import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppSetProblem } from '../../server/src/engine/render/appSets/appSetTypes';
import { fastTemplate } from '../../server/src/engine/render/appSets/fastTemplate';
import { goTemplate } from '../../server/src/engine/render/appSets/goTemplate';
import { applyTemplate } from '../../server/src/engine/render/appSets/templateApply';

const pathParams = {
  cluster: 'Engineering-Dev',
  path: { path: 'apps/guestbook', basename: 'guestbook', segments: ['apps', 'guestbook'] },
  replicas: 3,
  big: 1000000,
};

function problem(run: () => unknown): AppSetProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof AppSetProblem) return error;
    throw error;
  }
  assert.fail('expected an AppSetProblem');
}

describe('fasttemplate (the default ApplicationSet templating)', () => {
  it('replaces string parameters, trims the tag, and leaves unknown tags as written', () => {
    assert.equal(
      fastTemplate('{{cluster}}-{{ path.basename }}-{{missing}}', {
        cluster: 'dev',
        'path.basename': 'guestbook',
      }),
      'dev-guestbook-{{missing}}',
    );
  });
  it('leaves a string whose {{ and }} are on different lines as written, as Argo CD does', () => {
    assert.equal(fastTemplate('{{cluster\n}}', { cluster: 'dev' }), '{{cluster\n}}');
    assert.equal(fastTemplate('a: {{cluster}}\nb: x', { cluster: 'dev' }), 'a: dev\nb: x');
  });
  it('refuses a tag that is never closed', () => {
    assert.match(
      problem(() => fastTemplate('{{cluster}}-{{oops', { cluster: 'a' })).message,
      /never closes/,
    );
  });
});

describe('Go template subset (goTemplate: true)', () => {
  it('reads fields, index and the supported functions', () => {
    assert.equal(goTemplate('{{.path.basename}}', pathParams, []), 'guestbook');
    assert.equal(goTemplate('{{ index .path.segments 1 }}', pathParams, []), 'guestbook');
    assert.equal(goTemplate('{{ .cluster | lower }}', pathParams, []), 'engineering-dev');
    assert.equal(goTemplate('{{ upper .cluster }}', pathParams, []), 'ENGINEERING-DEV');
    assert.equal(goTemplate('{{ default "main" .branch }}', pathParams, []), 'main');
    assert.equal(goTemplate('{{ .cluster | default "x" }}', pathParams, []), 'Engineering-Dev');
    assert.equal(goTemplate('{{ replace "-" "_" .cluster }}', pathParams, []), 'Engineering_Dev');
    assert.equal(goTemplate('{{ trunc 5 .cluster }}', pathParams, []), 'Engin');
    assert.equal(goTemplate('{{ trunc -3 .cluster }}', pathParams, []), 'Dev');
    assert.equal(goTemplate('{{ normalize .cluster }}', pathParams, []), 'engineering-dev');
    assert.equal(goTemplate('{{ (index .path.segments 0) | upper }}', pathParams, []), 'APPS');
    assert.equal(goTemplate('{{ toYaml .path.segments }}', pathParams, []), '- apps\n- guestbook');
    assert.equal(
      goTemplate('{{ toJson .m }}', { m: { z: 1, a: '<b>&', b: [true, null] } }, []),
      '{"a":"\\u003cb\\u003e\\u0026","b":[true,null],"z":1}',
    );
  });
  it('prints numbers as Go does and trims around {{- -}}', () => {
    assert.equal(goTemplate('{{.replicas}}/{{.big}}', pathParams, []), '3/1e+06');
    assert.equal(goTemplate('a  {{- .replicas -}}  b', pathParams, []), 'a3b');
    assert.equal(goTemplate('x{{/* a comment */}}y', pathParams, []), 'xy');
  });
  it('prints <no value> for a missing key, and fails on it under missingkey=error', () => {
    assert.equal(goTemplate('{{.nothing}}', pathParams, []), '<no value>');
    const refused = problem(() => goTemplate('{{.nothing}}', pathParams, ['missingkey=error']));
    assert.equal(refused.reason, 'invalid');
    assert.equal(
      refused.message,
      'the expression {{.nothing}} fails: map has no entry for key "nothing"',
    );
  });
  it('names the expression and the function outside the subset, never guessing', () => {
    const ifAction = problem(() => goTemplate('{{ if .cluster }}x{{ end }}', pathParams, []));
    assert.equal(ifAction.reason, 'unsupported');
    assert.match(
      ifAction.message,
      /\{\{ if \.cluster \}\} is outside the supported Go template subset/,
    );
    const sprig = problem(() => goTemplate('{{ .cluster | sha256sum }}', pathParams, []));
    assert.equal(sprig.reason, 'unsupported');
    assert.match(sprig.message, /calls "sha256sum", outside the supported Go template functions/);
    const variable = problem(() => goTemplate('{{ $x := .cluster }}', pathParams, []));
    assert.equal(variable.reason, 'unsupported');
  });
  it('says a template that is not Go template syntax is invalid', () => {
    const broken = problem(() => goTemplate('{{ .cluster ', pathParams, []));
    assert.equal(broken.reason, 'invalid');
  });
});

describe('applying a template to an Application', () => {
  it('templates every string and map key, dropping nulls', () => {
    const out = applyTemplate(
      {
        metadata: { name: '{{cluster}}-app', labels: { '{{cluster}}': 'yes' } },
        spec: { x: null, n: 2 },
      },
      { cluster: 'dev' },
      { goTemplate: false, goTemplateOptions: [] },
    );
    assert.deepEqual(out, {
      metadata: { name: 'dev-app', labels: { dev: 'yes' } },
      spec: { n: 2 },
    });
  });
});
