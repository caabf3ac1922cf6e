import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry } from 'vscode-textmate';
import type { IGrammar, IRawGrammar, StateStack } from 'vscode-textmate';

const ROOT = path.join(__dirname, '..', '..');
const SYNTAXES = path.join(ROOT, 'syntaxes');
const PODINFO_TEMPLATES = path.join(
  ROOT,
  'test',
  'fixtures',
  'render',
  'podinfo',
  'charts',
  'podinfo',
  'templates',
);

/**
 * VS Code's YAML grammar is not on npm, so the tests provide a small one under the scope the Helm
 * grammar embeds. Like the real one, it opens flow mappings on `{` and scans comments, strings and
 * plain scalars with begin/end rules: without the Helm grammar's priority, `{{` would open a flow
 * mapping or disappear into a scalar.
 */
const YAML_STUB = {
  scopeName: 'source.yaml.embedded',
  patterns: [
    {
      begin: '^\\s*(?:(-)\\s+)?([\\w./-]+)\\s*(:)(?=\\s|$)',
      end: '$',
      beginCaptures: {
        1: { name: 'punctuation.definition.block.sequence.item.yaml' },
        2: { name: 'entity.name.tag.yaml' },
        3: { name: 'punctuation.separator.map.value.yaml' },
      },
      name: 'meta.map.value.yaml',
      patterns: [{ include: '#value' }],
    },
    { match: '^\\s*-(?=\\s)', name: 'punctuation.definition.block.sequence.item.yaml' },
    { include: '#value' },
  ],
  repository: {
    value: {
      patterns: [
        { begin: '(?<=^|\\s)#', end: '$', name: 'comment.line.number-sign.yaml' },
        { begin: '"', end: '"', name: 'string.quoted.double.yaml' },
        { begin: "'", end: "'", name: 'string.quoted.single.yaml' },
        {
          begin: '\\{',
          end: '\\}',
          name: 'meta.flow-mapping.yaml',
          patterns: [{ include: '#value' }],
        },
        {
          begin: '(?=[^\\s#{}"\'])',
          end: '(?=\\s+#|\\s*$)',
          name: 'string.unquoted.plain.out.yaml',
        },
      ],
    },
  },
};

async function loadHelmGrammar(): Promise<IGrammar> {
  await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
  const grammars: Record<string, () => IRawGrammar> = {
    'source.helm-template': () => {
      const file = path.join(SYNTAXES, 'helm-template.tmLanguage.json');
      return parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    'source.yaml.embedded': () => parseRawGrammar(JSON.stringify(YAML_STUB), 'yamlStub.json'),
  };
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName) => Promise.resolve(grammars[scopeName]?.()),
  });
  const grammar = await registry.loadGrammar('source.helm-template');
  assert.ok(grammar, 'the Helm template grammar loads');
  return grammar;
}

const helmGrammar = loadHelmGrammar();

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

/** Tokenizes `text` line by line, carrying the state across lines as the editor does. */
async function tokenize(text: string): Promise<Token[][]> {
  const grammar = await helmGrammar;
  let state: StateStack = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({
      text: line.slice(token.startIndex, token.endIndex),
      scopes: token.scopes,
    }));
  });
}

/** The non-blank tokens of template actions and comments, with their innermost scope. */
function templateParts(line: readonly Token[]): string[][] {
  return line
    .filter((token) => token.text.trim() !== '' && token.scopes.some((s) => s.endsWith('.helm')))
    .map((token) => [token.text, token.scopes.at(-1) ?? '']);
}

async function partsOf(text: string): Promise<string[][]> {
  return (await tokenize(text)).flatMap(templateParts);
}

describe('Helm template grammar', () => {
  it('highlights a value taken from .Values where YAML expects a flow mapping', async () => {
    const [line = []] = await tokenize('replicas: {{ .Values.replicaCount }}');
    assert.deepEqual(templateParts(line), [
      ['{{', 'punctuation.section.embedded.begin.helm'],
      ['.', 'punctuation.accessor.helm'],
      ['Values', 'variable.language.helm'],
      ['.', 'punctuation.accessor.helm'],
      ['replicaCount', 'variable.other.property.helm'],
      ['}}', 'punctuation.section.embedded.end.helm'],
    ]);
    assert.deepEqual([line[0]?.text, line[0]?.scopes.at(-1)], ['replicas', 'entity.name.tag.yaml']);
    assert.ok(line.every((token) => !token.scopes.includes('meta.flow-mapping.yaml')));
  });

  it('highlights control keywords and trim markers', async () => {
    assert.deepEqual(await partsOf('{{- if .Values.ingress.enabled }}'), [
      ['{{-', 'punctuation.section.embedded.begin.helm'],
      ['if', 'keyword.control.helm'],
      ['.', 'punctuation.accessor.helm'],
      ['Values', 'variable.language.helm'],
      ['.', 'punctuation.accessor.helm'],
      ['ingress', 'variable.other.property.helm'],
      ['.', 'punctuation.accessor.helm'],
      ['enabled', 'variable.other.property.helm'],
      ['}}', 'punctuation.section.embedded.end.helm'],
    ]);
    assert.deepEqual(await partsOf('{{- else if .x -}}'), [
      ['{{-', 'punctuation.section.embedded.begin.helm'],
      ['else', 'keyword.control.helm'],
      ['if', 'keyword.control.helm'],
      ['.', 'punctuation.accessor.helm'],
      ['x', 'variable.other.property.helm'],
      ['-}}', 'punctuation.section.embedded.end.helm'],
    ]);
    const keywords = ['range', 'with', 'define', 'template', 'block', 'end'];
    for (const keyword of keywords) {
      assert.deepEqual((await partsOf(`{{ ${keyword} }}`))[1], [keyword, 'keyword.control.helm']);
    }
  });

  it('tells a trim marker from a negative number', async () => {
    assert.deepEqual(await partsOf('{{-3}} {{ 3 -}}'), [
      ['{{', 'punctuation.section.embedded.begin.helm'],
      ['-3', 'constant.numeric.helm'],
      ['}}', 'punctuation.section.embedded.end.helm'],
      ['{{', 'punctuation.section.embedded.begin.helm'],
      ['3', 'constant.numeric.helm'],
      ['-}}', 'punctuation.section.embedded.end.helm'],
    ]);
  });

  it('highlights comments, on one line or several, without looking inside them', async () => {
    assert.deepEqual(await partsOf('{{/* a comment about .Values.x */}}'), [
      ['{{/*', 'punctuation.definition.comment.begin.helm'],
      [' a comment about .Values.x ', 'comment.block.template.helm'],
      ['*/}}', 'punctuation.definition.comment.end.helm'],
    ]);
    const lines = await tokenize('{{- /* first\n  second */ -}}\nkind: Service');
    assert.deepEqual(lines.slice(0, 2).flatMap(templateParts), [
      ['{{- /*', 'punctuation.definition.comment.begin.helm'],
      [' first', 'comment.block.template.helm'],
      ['  second ', 'comment.block.template.helm'],
      ['*/ -}}', 'punctuation.definition.comment.end.helm'],
    ]);
    assert.equal(lines[2]?.[0]?.scopes.at(-1), 'entity.name.tag.yaml');
  });

  it('highlights pipes, variables, functions, strings and parentheses', async () => {
    assert.deepEqual(
      await partsOf('{{- $name := default (printf "%s}}" .Release.Name) $.Values.n | quote }}'),
      [
        ['{{-', 'punctuation.section.embedded.begin.helm'],
        ['$name', 'variable.other.helm'],
        [':=', 'keyword.operator.assignment.helm'],
        ['default', 'support.function.builtin.helm'],
        ['(', 'punctuation.section.parens.begin.helm'],
        ['printf', 'support.function.builtin.helm'],
        ['"', 'punctuation.definition.string.begin.helm'],
        ['%s', 'constant.other.placeholder.helm'],
        ['}}', 'string.quoted.double.helm'],
        ['"', 'punctuation.definition.string.end.helm'],
        ['.', 'punctuation.accessor.helm'],
        ['Release', 'variable.language.helm'],
        ['.', 'punctuation.accessor.helm'],
        ['Name', 'variable.other.property.helm'],
        [')', 'punctuation.section.parens.end.helm'],
        ['$', 'variable.language.root.helm'],
        ['.', 'punctuation.accessor.helm'],
        ['Values', 'variable.language.helm'],
        ['.', 'punctuation.accessor.helm'],
        ['n', 'variable.other.property.helm'],
        ['|', 'keyword.operator.pipe.helm'],
        ['quote', 'support.function.helm'],
        ['}}', 'punctuation.section.embedded.end.helm'],
      ],
    );
    assert.deepEqual(await partsOf('{{ include "app.labels" . | nindent 4 }}'), [
      ['{{', 'punctuation.section.embedded.begin.helm'],
      ['include', 'support.function.builtin.helm'],
      ['"', 'punctuation.definition.string.begin.helm'],
      ['app.labels', 'string.quoted.double.helm'],
      ['"', 'punctuation.definition.string.end.helm'],
      ['.', 'variable.language.dot.helm'],
      ['|', 'keyword.operator.pipe.helm'],
      ['nindent', 'support.function.helm'],
      ['4', 'constant.numeric.helm'],
      ['}}', 'punctuation.section.embedded.end.helm'],
    ]);
    const builtins = await partsOf('{{ required "x" (tpl .Values.t .) }}');
    assert.deepEqual(
      builtins.filter(([, scope]) => scope === 'support.function.builtin.helm'),
      [
        ['required', 'support.function.builtin.helm'],
        ['tpl', 'support.function.builtin.helm'],
      ],
    );
  });

  it('highlights actions inside YAML strings and comments, which Helm renders too', async () => {
    const [quoted = []] = await tokenize('image: "{{ .Values.repo }}:{{ .Chart.AppVersion }}"');
    assert.deepEqual(
      templateParts(quoted).filter(([, scope]) => scope?.startsWith('variable.')),
      [
        ['Values', 'variable.language.helm'],
        ['repo', 'variable.other.property.helm'],
        ['Chart', 'variable.language.helm'],
        ['AppVersion', 'variable.other.property.helm'],
      ],
    );
    assert.ok(quoted.find((t) => t.text === 'repo')?.scopes.includes('string.quoted.double.yaml'));
    const [comment = []] = await tokenize('# set by {{ .Release.Name }}');
    assert.deepEqual(templateParts(comment)[0], ['{{', 'punctuation.section.embedded.begin.helm']);
    const [plain = []] = await tokenize('image: repo/app:{{ .Values.tag }}');
    assert.deepEqual(templateParts(plain).at(-2), ['tag', 'variable.other.property.helm']);
  });

  it('carries an action over several lines and ends an unclosed group at the braces', async () => {
    const lines = await tokenize(
      '{{ dict\n  "a" `raw\n  text` }}\nkind: A\n{{ (include "x" . }}\nkind: B',
    );
    assert.deepEqual(templateParts(lines[1] ?? [])[1], ['a', 'string.quoted.double.helm']);
    assert.deepEqual(templateParts(lines[2] ?? []), [
      ['  text', 'string.quoted.raw.helm'],
      ['`', 'punctuation.definition.string.end.helm'],
      ['}}', 'punctuation.section.embedded.end.helm'],
    ]);
    assert.equal(lines[3]?.[0]?.scopes.at(-1), 'entity.name.tag.yaml');
    assert.equal(lines[5]?.[0]?.scopes.at(-1), 'entity.name.tag.yaml');
  });

  it('highlights every action of a real chart', async () => {
    const files = readdirSync(PODINFO_TEMPLATES, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(ya?ml|tpl)$/.test(name))
      .map((name) => path.join(PODINFO_TEMPLATES, name));
    assert.ok(files.length > 10);
    for (const file of files) {
      const lines = await tokenize(readFileSync(file, 'utf8'));
      lines.forEach((line, index) => {
        for (const token of line) {
          const inTemplate = token.scopes.some((s) => s.endsWith('.template.helm'));
          assert.ok(
            inTemplate || !/\{\{|\}\}/.test(token.text),
            `${path.basename(file)}:${index + 1}: "${token.text}" is outside any template action`,
          );
        }
      });
    }
  });
});

describe('Helm template language', () => {
  interface Contributes {
    languages: { id: string; configuration: string; filenamePatterns: string[] }[];
    grammars: { language?: string; scopeName: string; path: string }[];
  }
  const contributes = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: Contributes;
    }
  ).contributes;

  it('is contributed with its grammar and configuration', () => {
    const language = contributes.languages.find((l) => l.id === 'helm-template');
    assert.ok(language);
    assert.ok(language.filenamePatterns.includes('**/templates/*.yaml'));
    assert.ok(language.filenamePatterns.includes('_helpers.tpl'));
    const grammar = contributes.grammars.find((g) => g.language === 'helm-template');
    assert.ok(grammar);
    const raw = JSON.parse(readFileSync(path.join(ROOT, grammar.path), 'utf8')) as {
      scopeName: string;
    };
    assert.equal(raw.scopeName, grammar.scopeName);
    readFileSync(path.join(ROOT, language.configuration), 'utf8');
  });

  it('folds template blocks but not a block opened and closed on one line', () => {
    const config = JSON.parse(
      readFileSync(path.join(SYNTAXES, 'helm-template.language-configuration.json'), 'utf8'),
    ) as { folding: { markers: { start: string; end: string } } };
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    assert.ok(start.test('  {{- if .Values.ingress.enabled }}'));
    assert.ok(start.test('{{ define "app.labels" -}}'));
    assert.ok(end.test('  {{- end }}'));
    assert.ok(!start.test('{{- if .Values.x }}x: 1{{- end }}'));
    assert.ok(!start.test('  {{- else }}') && !end.test('  {{- else }}'));
  });
});
