import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toolArgs } from '../../server/src/engine/render/toolArgs';
import { RenderFailure } from '../../server/src/engine/render/types';

describe('toolArgs', () => {
  it('writes subcommand, flags with attached values, then -- and the operands', () => {
    assert.deepEqual(
      toolArgs({
        subcommand: ['template'],
        flags: [
          ['namespace', 'dev'],
          ['include-crds', true],
          ['values', '/tmp/x/values.yaml'],
          ['set', 'a=b,c=d'],
        ],
        positional: ['podinfo', '/tmp/x/chart'],
      }),
      [
        'template',
        '--namespace=dev',
        '--include-crds=true',
        '--values=/tmp/x/values.yaml',
        '--set=a=b,c=d',
        '--',
        'podinfo',
        '/tmp/x/chart',
      ],
    );
  });

  it('keeps hostile values where they cannot be read as flags', () => {
    const hostile = ['--post-renderer=sh', '-x', '--set-file=x=/etc/passwd', '-', '--'];
    for (const value of hostile) {
      const args = toolArgs({
        subcommand: ['template'],
        flags: [
          ['version', value],
          ['repo', value],
        ],
        positional: [value, value],
      });
      const dash = args.indexOf('--');
      assert.equal(dash, 3, `-- right after the flags for ${value}`);
      // Before `--` every argument is the subcommand or a `--name=` flag of the engine's own.
      assert.deepEqual(args.slice(0, dash), ['template', `--version=${value}`, `--repo=${value}`]);
      assert.deepEqual(args.slice(dash + 1), [value, value]);
    }
  });

  it('ends with -- even without operands', () => {
    assert.deepEqual(toolArgs({ subcommand: ['build'] }), ['build', '--']);
  });

  it('rejects a subcommand or flag name that is not a plain word (a programming error)', () => {
    assert.throws(() => toolArgs({ subcommand: ['--post-renderer=sh'] }), /Not a tool subcommand/);
    assert.throws(
      () => toolArgs({ subcommand: ['template'], flags: [['post-renderer=sh', 'x']] }),
      /Not a tool flag name/,
    );
    assert.throws(
      () => toolArgs({ subcommand: ['template'], flags: [['-x', 'y']] }),
      /Not a tool flag name/,
    );
  });

  it('refuses a NUL character in a value with a sentence, not a spawn error', () => {
    assert.throws(
      () => toolArgs({ subcommand: ['template'], positional: ['a\0b'] }),
      (error: unknown) =>
        error instanceof RenderFailure &&
        error.error.reason === 'refused' &&
        /holds a NUL character, so the tool was not run/.test(error.message),
    );
  });
});
