import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { branchItems } from '../../client/src/branchPicks';

describe('the branches Preview Branch Impact Against... offers', () => {
  it('puts the usual bases first, then local branches, then remote ones', () => {
    const items = branchItems([
      { name: 'feature', remote: false, current: false },
      { name: 'main', remote: false, current: false },
      { name: 'zeta', remote: false, current: false },
      { name: 'origin/feature', remote: true, current: false },
      { name: 'origin/main', remote: true, current: false },
      { name: 'upstream/release-1', remote: true, current: false },
    ]);
    assert.deepEqual(
      items.map((item) => [item.label, item.description]),
      [
        ['origin/main', 'remote branch'],
        ['main', 'local branch'],
        ['feature', 'local branch'],
        ['zeta', 'local branch'],
        ['origin/feature', 'remote branch'],
        ['upstream/release-1', 'remote branch'],
      ],
    );
    assert.deepEqual(
      items.map((item) => item.branch),
      items.map((item) => item.label),
      'the picked item names the branch the preview is asked for',
    );
  });

  it('leaves out the branch checked out, which compared with itself changes nothing', () => {
    const items = branchItems([
      { name: 'feature', remote: false, current: true },
      { name: 'main', remote: false, current: false },
      { name: 'origin/feature', remote: true, current: false },
    ]);
    assert.deepEqual(
      items.map((item) => item.label),
      ['main', 'origin/feature'],
    );
    assert.deepEqual(branchItems([{ name: 'main', remote: false, current: true }]), []);
  });

  it('offers nothing for a repository without branches', () => {
    assert.deepEqual(branchItems([]), []);
  });

  it('is a command of the palette with a handler, shown where Preview Branch Impact is', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
    ) as {
      contributes: {
        commands: { command: string; title: string }[];
        menus: { commandPalette: { command: string; when?: string }[] };
      };
    };
    const command = 'gitopsWorkbench.previewBranchImpactAgainst';
    assert.equal(
      manifest.contributes.commands.find((item) => item.command === command)?.title,
      'Preview Branch Impact Against...',
    );
    const when = (id: string): string | undefined =>
      manifest.contributes.menus.commandPalette.find((item) => item.command === id)?.when;
    assert.equal(when(command), when('gitopsWorkbench.previewBranchImpact'));
  });
});
