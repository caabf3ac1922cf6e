// The "Get Started" walkthrough of package.json (issue 18): every command a step's buttons run or
// waits for, every view and setting it waits for or names, and every media file must exist, so a
// typo shows here and not as a dead button in front of a first-time user.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');

/** VS Code's own commands that the walkthrough's buttons use. */
const BUILT_IN_COMMANDS = new Set([
  'workbench.action.files.openFolder',
  'workbench.actions.view.problems',
  'workbench.trust.manage',
]);
const EVENT_KINDS = new Set(['onCommand', 'onView', 'onSettingChanged', 'onContext', 'onLink']);

interface Media {
  markdown?: string;
  image?: string | { light: string; dark: string };
  svg?: string;
  altText?: string;
}
interface Step {
  id: string;
  title: string;
  description: string;
  media: Media;
  completionEvents?: string[];
}
interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    views: Record<string, Array<{ id: string }>>;
    configuration: { properties: Record<string, unknown> };
    walkthroughs?: Array<{ id: string; title: string; description: string; steps: Step[] }>;
  };
}

function readManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
}

/** Each problem of the manifest's walkthroughs as a sentence; `exists` is asked about media files. */
function walkthroughProblems(manifest: Manifest, exists: (file: string) => boolean): string[] {
  const { commands, views, configuration, walkthroughs = [] } = manifest.contributes;
  const viewIds = new Set(Object.values(views).flatMap((list) => list.map((view) => view.id)));
  const known = new Set([
    ...commands.map((entry) => entry.command),
    ...[...viewIds].map((id) => `${id}.focus`),
    ...BUILT_IN_COMMANDS,
  ]);
  const settings = new Set(Object.keys(configuration.properties));
  const problems: string[] = [];
  if (walkthroughs.length === 0) problems.push('package.json contributes no walkthrough.');
  for (const walkthrough of walkthroughs) {
    if (walkthrough.steps.length < 4 || walkthrough.steps.length > 6)
      problems.push(`${walkthrough.id} has ${walkthrough.steps.length} steps, not 4 to 6.`);
    for (const step of walkthrough.steps) {
      const where = `${walkthrough.id}/${step.id}`;
      for (const [, command] of step.description.matchAll(/\(command:([^)?\s]+)/g))
        if (command && !known.has(command))
          problems.push(`${where}: its description runs the unknown command ${command}.`);
      const events = step.completionEvents ?? [];
      if (events.length === 0) problems.push(`${where} has no completion event.`);
      for (const event of events) {
        const [kind = '', argument = ''] = event.split(/:(.*)/s);
        if (!EVENT_KINDS.has(kind)) problems.push(`${where}: unknown completion event ${event}.`);
        else if (argument.trim() === '') problems.push(`${where}: ${event} names nothing.`);
        else if (kind === 'onCommand' && !known.has(argument))
          problems.push(`${where}: waits for the unknown command ${argument}.`);
        else if (kind === 'onView' && !viewIds.has(argument))
          problems.push(`${where}: waits for the unknown view ${argument}.`);
        else if (kind === 'onSettingChanged' && !settings.has(argument))
          problems.push(`${where}: waits for the unknown setting ${argument}.`);
      }
      const media = step.media;
      const files = [
        media.markdown,
        media.svg,
        ...(typeof media.image === 'object'
          ? [media.image.light, media.image.dark]
          : [media.image]),
      ].filter((file): file is string => file !== undefined);
      if (files.length === 0) problems.push(`${where} has no media.`);
      if (media.image !== undefined && !media.altText?.trim())
        problems.push(`${where}: its image has no altText.`);
      for (const file of files) {
        if (!file.startsWith('media/'))
          problems.push(`${where}: ${file} is outside media/, which the VSIX packages.`);
        if (!exists(file)) {
          problems.push(`${where}: its media file ${file} does not exist.`);
          continue;
        }
        if (!file.endsWith('.md')) continue;
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        for (const [, key] of text.matchAll(/`(gitopsWorkbench\.[A-Za-z.]+)`/g))
          if (key && !settings.has(key))
            problems.push(`${where}: ${file} names the unknown setting ${key}.`);
      }
    }
  }
  return problems;
}

const existsInRoot = (file: string): boolean => existsSync(path.join(ROOT, ...file.split('/')));

describe('the Get Started walkthrough', () => {
  it('runs, waits for and shows only what exists', () => {
    assert.deepEqual(walkthroughProblems(readManifest(), existsInRoot), []);
  });

  it('covers validation, rendering, clusters, the diff, rollback and settings', () => {
    const walkthrough = readManifest().contributes.walkthroughs?.[0];
    assert.deepEqual(
      walkthrough?.steps.map((step) => step.id),
      ['validate', 'rendered', 'clusters', 'diff', 'rollback', 'settings'],
    );
  });

  it('says which step names a command, view, setting or file that does not exist', () => {
    const manifest = readManifest();
    const steps = manifest.contributes.walkthroughs?.[0]?.steps ?? [];
    const [validate, rendered, clusters, , , settings] = steps;
    assert.ok(validate && rendered && clusters && settings, 'the walkthrough has six steps');
    rendered.description = rendered.description.replace(
      'command:gitopsWorkbench.showRenderedManifests',
      'command:gitopsWorkbench.showRenderedManifest',
    );
    rendered.completionEvents = ['onCommand:gitopsWorkbench.showRenderedManifest'];
    clusters.completionEvents = ['onView:gitopsWorkbench.cluster'];
    settings.completionEvents = ['onSettingChanged:gitopsWorkbench.helmpath', 'onClick:x'];
    validate.media = { markdown: 'media/walkthrough/validation.md' };
    assert.deepEqual(walkthroughProblems(manifest, existsInRoot), [
      'gettingStarted/validate: its media file media/walkthrough/validation.md does not exist.',
      'gettingStarted/rendered: its description runs the unknown command gitopsWorkbench.showRenderedManifest.',
      'gettingStarted/rendered: waits for the unknown command gitopsWorkbench.showRenderedManifest.',
      'gettingStarted/clusters: waits for the unknown view gitopsWorkbench.cluster.',
      'gettingStarted/settings: waits for the unknown setting gitopsWorkbench.helmpath.',
      'gettingStarted/settings: unknown completion event onClick:x.',
    ]);
  });
});
