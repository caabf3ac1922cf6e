// CEL rules of a CRD as a user meets them in the editor (issue 13): a Gateway API HTTPRoute whose
// path loses its leading '/' is underlined with the CRD's own message, and the problem goes away
// when the '/' is typed back, all in unsaved text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeEditor, squigglesOn } from './support/editor';
import { diagnosticSource } from './support/manifests';
import { pollUntil } from './support/poll';
import { waitForProblemGone } from './support/problemsGone';
import { podinfoBase } from './support/schemaManifests';
import { openSession } from './support/session';
import type { E2eSession } from './support/session';

const fixtures = path.resolve(__dirname, '..', 'fixtures');
const crd = readFileSync(
  path.join(
    fixtures,
    'crds',
    'gateway-api',
    'standard',
    'gateway.networking.k8s.io_httproutes.yaml',
  ),
  'utf8',
);
const route = readFileSync(path.join(fixtures, 'cel', 'standard', 'httproute.yaml'), 'utf8');
const routeFile = `${podinfoBase}/httproute.yaml`;
const message =
  "spec.rules[0].matches[0].path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']";

describe('CEL rules of CRDs in the editor', { timeout: 10 * 60_000 }, () => {
  let session: E2eSession;

  before(async () => {
    session = await openSession({
      name: 'cel-validation',
      trusted: true,
      files: { 'gateway-httproutes-crd.yaml': crd, [routeFile]: route },
    });
  });

  after(async () => {
    await session?.close();
  });

  it(
    'underlines a broken rule with the CRD message, and clears it when fixed',
    { timeout: 5 * 60_000 },
    async () => {
      const { page, problems } = session.workbench;
      const lines = route.split('\n');
      const valueLine = lines.findIndex((text) => text.trim() === 'value: /shop') + 1;
      const pathLine = lines.findIndex((text) => text.trim() === '- path:') + 1;
      assert.ok(valueLine > 0 && pathLine > 0 && pathLine < valueLine);
      const column = (lines[valueLine - 1] ?? '').indexOf('/') + 1;

      const editor = await CodeEditor.open(page, routeFile);
      await session.expect(
        'cel-validation',
        `Deleting the '/' of line ${valueLine} leaves "value: shop"`,
        async () => {
          await editor.goTo(valueLine, column);
          await page.keyboard.press('Delete');
          await editor.waitForLine(
            valueLine,
            (lines[valueLine - 1] ?? '').replace('/shop', 'shop'),
          );
        },
      );
      if (!(await problems.root().isVisible())) await problems.open();
      const shown = await session.expect(
        'cel-validation',
        `The Problems panel lists the CRD's message under httproute.yaml`,
        () =>
          problems.waitForProblem({
            fileName: 'httproute.yaml',
            source: diagnosticSource,
            text: message,
          }),
      );
      assert.equal(shown.severity, 'Error', `it is ${shown.severity}: ${shown.message}`);
      await session.expect(
        'cel-validation',
        `The editor underlines the path on line ${pathLine}`,
        () =>
          pollUntil(
            async () => {
              const shownLine = (await editor.lines()).find((l) => l.number === pathLine);
              const mine = shownLine ? squigglesOn(await editor.errorSquiggles(), shownLine) : [];
              return {
                value: mine.length > 0 ? mine : undefined,
                seen: `no error squiggle on line ${pathLine}`,
              };
            },
            { timeout: 30_000, what: `an error squiggle on line ${pathLine}` },
          ),
      );
      await session.screenshot('cel-validation');

      await session.expect(
        'cel-validation',
        `Typing the '/' back restores "value: /shop"`,
        async () => {
          await editor.goTo(valueLine, column);
          await page.keyboard.type('/');
          await editor.waitForLine(valueLine, lines[valueLine - 1] ?? '');
        },
      );
      await session.expect('cel-validation', 'The problem leaves the Problems panel', () =>
        waitForProblemGone(page, {
          fileName: 'httproute.yaml',
          source: diagnosticSource,
          text: message,
        }),
      );
    },
  );
});
