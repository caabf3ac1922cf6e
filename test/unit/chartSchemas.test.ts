import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ArchiveError, readTarGz } from '../../server/src/engine/render/chartArchive';
import {
  chartSchemaFinding,
  chartSchemaRefusal,
} from '../../server/src/engine/render/chartSchemas';
import {
  isBuiltInMetaschema,
  schemaFileProblems,
  schemaRefProblems,
} from '../../server/src/engine/render/schemaRefs';
import { paxPath, tar, tgz } from './support/tarball';

const legit = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  definitions: { port: { type: 'integer', minimum: 1 } },
  properties: {
    service: { type: 'object', properties: { port: { $ref: '#/definitions/port' } } },
    image: { $ref: '#image' },
  },
};

const json = (value: unknown): string => JSON.stringify(value);

describe('schemaRefProblems', () => {
  it('allows same-document references and the drafts the library has built in', () => {
    assert.deepEqual(schemaRefProblems(legit), []);
    for (const draft of [
      'http://json-schema.org/draft-04/schema#',
      'http://json-schema.org/draft-06/schema',
      'https://json-schema.org/draft-07/schema#',
      'https://json-schema.org/draft/2019-09/schema',
      'https://json-schema.org/draft/2020-12/schema',
      'http://json-schema.org/schema#',
    ]) {
      assert.deepEqual(schemaRefProblems({ $schema: draft }), [], draft);
    }
    assert.equal(isBuiltInMetaschema('https://json-schema.org/draft/2020-12/meta/core'), true);
    assert.deepEqual(
      schemaRefProblems({
        $ref: 'http://json-schema.org/draft-07/schema#/definitions/nonNegativeInteger',
      }),
      [],
    );
  });

  it('finds every reference that would load a file or a URL, with its JSON pointer', () => {
    const hostile = {
      $schema: 'https://127.0.0.1:8443/x',
      properties: {
        a: { $ref: 'file:///etc/passwd' },
        'b/c~d': { $ref: 'etc/passwd' },
        list: { items: [{ $dynamicRef: 'https://example.invalid/s.json#meta' }] },
      },
      $defs: { r: { $recursiveRef: 'other.json' } },
      default: { $ref: 'urn:x' },
    };
    assert.deepEqual(
      schemaRefProblems(hostile)
        .map((problem) => `${problem.pointer} ${problem.reference}`)
        .sort(),
      [
        '/$defs/r/$recursiveRef other.json',
        '/$schema https://127.0.0.1:8443/x',
        '/default/$ref urn:x',
        '/properties/a/$ref file:///etc/passwd',
        '/properties/b~1c~0d/$ref etc/passwd',
        '/properties/list/items/0/$dynamicRef https://example.invalid/s.json#meta',
      ],
    );
  });

  it('does not take look-alike URLs for built-in drafts', () => {
    for (const reference of [
      'http://json-schema.org.evil.example/draft-07/schema',
      'HTTP://json-schema.org/draft-07/schema',
      'http://json-schema.org:80/draft-07/schema',
      'http://json-schema.org/draft-07/../draft-07/schema',
      'http://json-schema.org/draft-08/schema',
      'http://json-schema.org/draft-07/schema/extra',
    ]) {
      assert.equal(isBuiltInMetaschema(reference), false, reference);
      assert.equal(schemaRefProblems({ $schema: reference }).length, 1, reference);
    }
  });

  it('reads a schema with a byte order mark, as helm does, and leaves malformed JSON to helm', () => {
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(json({ $ref: '/etc/passwd' })),
    ]);
    assert.equal(schemaFileProblems(bom).length, 1);
    assert.deepEqual(schemaFileProblems(Buffer.from('{"$ref": ')), []);
  });

  it('walks a deeply nested document without overflowing the stack', () => {
    let deep: unknown = { $ref: 'file:///etc/passwd' };
    for (let depth = 0; depth < 50_000; depth++) deep = { not: deep };
    assert.equal(schemaRefProblems(deep).length, 1);
  });
});

describe('readTarGz', () => {
  it('reads ustar names with a prefix, PAX paths and skips what it is not asked for', async () => {
    const archive = tgz([
      { name: 'demo/Chart.yaml', data: 'name: demo\n' },
      { name: 'values.schema.json', prefix: 'demo', data: '{}' },
      paxPath('demo/charts/very-long-name/values.schema.json'),
      { name: 'ignored-name', data: '{"a":1}' },
      { name: 'demo/templates/big.yaml', data: 'x'.repeat(5000) },
    ]);
    const entries = await readTarGz(archive, (entry) => entry.name.endsWith('.json'));
    assert.deepEqual(
      entries.map((entry) => [entry.name, entry.data?.toString('utf8')]),
      [
        ['demo/Chart.yaml', undefined],
        ['demo/values.schema.json', '{}'],
        ['demo/charts/very-long-name/values.schema.json', '{"a":1}'],
        ['demo/templates/big.yaml', undefined],
      ],
    );
  });

  it('stops a gzip bomb at the byte limit and a tar of many entries at the entry limit', async () => {
    const bomb = gzipSync(tar([{ name: 'a/big', data: Buffer.alloc(20 * 1024 * 1024) }]));
    assert.ok(bomb.length < 100 * 1024, 'a small archive that unpacks to 20 MB');
    await assert.rejects(
      readTarGz(bomb, () => false, { bytes: 1024 * 1024, entries: 100 }),
      (error: unknown) => error instanceof ArchiveError && error.reason === 'tooLarge',
    );
    const many = tgz(Array.from({ length: 50 }, (_, index) => ({ name: `a/f${index}`, data: '' })));
    await assert.rejects(
      readTarGz(many, () => false, { bytes: 1024 * 1024, entries: 10 }),
      (error: unknown) => error instanceof ArchiveError && error.reason === 'tooLarge',
    );
  });

  it('refuses what it cannot read as Go does: not gzip, a bad checksum, a truncated file, sparse files', async () => {
    const isArchiveError = (error: unknown): boolean => error instanceof ArchiveError;
    await assert.rejects(
      readTarGz(Buffer.from('not gzip'), () => true),
      isArchiveError,
    );
    const corrupt = tar([{ name: 'a/values.schema.json', data: '{}' }]);
    corrupt[0] = 0x62;
    await assert.rejects(
      readTarGz(gzipSync(corrupt), () => true),
      isArchiveError,
    );
    const truncated = tar([{ name: 'a/x', data: 'y', size: 4096 }]).subarray(0, 1024);
    await assert.rejects(
      readTarGz(gzipSync(truncated), () => true),
      isArchiveError,
    );
    await assert.rejects(
      readTarGz(tgz([{ name: 'a/values.schema.json', typeflag: 'S', data: '{}' }]), () => true),
      (error: unknown) => error instanceof ArchiveError && error.reason === 'unsupported',
    );
  });
});

describe('chartSchemaFinding', () => {
  const files = (entries: Record<string, string | Buffer>): Map<string, Buffer> =>
    new Map(
      Object.entries(entries).map(([key, value]) => [
        key,
        Buffer.isBuffer(value) ? value : Buffer.from(value),
      ]),
    );

  it('passes a chart whose schemas stay local', async () => {
    const chart = files({
      'charts/demo/Chart.yaml': 'name: demo\n',
      'charts/demo/values.schema.json': json(legit),
      'charts/demo/charts/sub/values.schema.json': json(legit),
      'charts/demo/charts/packed.tgz': tgz([
        { name: 'packed/values.schema.json', data: json(legit) },
      ]),
      'other/values.schema.json': json({ $ref: 'file:///etc/passwd' }),
    });
    assert.equal(await chartSchemaFinding(chart, 'charts/demo'), undefined);
  });

  it('finds a reference in the chart, a subchart folder, an archive and an archive in an archive', async () => {
    const inner = tgz([
      { name: 'inner/values.schema.json', data: json({ $schema: 'https://127.0.0.1:1/x' }) },
    ]);
    const cases: [Record<string, string | Buffer>, string, string][] = [
      [{ 'c/values.schema.json': json({ $ref: 'etc/passwd' }) }, 'c/values.schema.json', '/$ref'],
      [
        {
          'c/charts/sub/values.schema.json': json({
            properties: { a: { $ref: 'file:///etc/passwd' } },
          }),
        },
        'c/charts/sub/values.schema.json',
        '/properties/a/$ref',
      ],
      [
        {
          'c/charts/sub.tgz': tgz([
            {
              name: 'sub/values.schema.json',
              data: json({ $ref: 'https://example.invalid/s.json' }),
            },
          ]),
        },
        'c/charts/sub.tgz!sub/values.schema.json',
        '/$ref',
      ],
      [
        { 'c/charts/outer.tgz': tgz([{ name: 'outer/charts/inner.tgz', data: inner }]) },
        'c/charts/outer.tgz!outer/charts/inner.tgz!inner/values.schema.json',
        '/$schema',
      ],
      [
        {
          'c/charts/win.tgz': tgz([
            { name: 'win\\values.schema.json', data: json({ $ref: 'x.json' }) },
          ]),
        },
        'c/charts/win.tgz!win\\values.schema.json',
        '/$ref',
      ],
    ];
    for (const [entries, schemaFile, pointer] of cases) {
      const finding = await chartSchemaFinding(files(entries), 'c');
      assert.equal(finding?.kind, 'reference', schemaFile);
      if (finding?.kind !== 'reference') continue;
      assert.equal(finding.schemaFile, schemaFile);
      assert.equal(finding.pointer, pointer);
    }
  });

  it('says which file, pointer and reference, and what to write instead', async () => {
    const finding = await chartSchemaFinding(
      files({ 'values.schema.json': json({ properties: { a: { $ref: 'file:///etc/passwd' } } }) }),
      '.',
    );
    assert.ok(finding);
    const refusal = chartSchemaRefusal(finding, '/ws');
    assert.equal(refusal.error.reason, 'refused');
    assert.equal(refusal.error.file, '/ws/values.schema.json');
    assert.equal(
      refusal.message,
      'The schema values.schema.json has $ref "file:///etc/passwd" at /properties/a/$ref, which would make helm read a file or contact a host outside the repo, so helm was not run: use a local #/definitions/... reference.',
    );
  });

  it('refuses a subchart archive it cannot read', async () => {
    const finding = await chartSchemaFinding(files({ 'c/charts/bad.tgz': 'not gzip' }), 'c');
    assert.equal(finding?.kind, 'archive');
    assert.match(
      chartSchemaRefusal(finding, '/ws').message,
      /^The chart archive c\/charts\/bad\.tgz could not be checked for schema references \(.*\), so helm was not run: repackage the subchart/,
    );
  });
});
