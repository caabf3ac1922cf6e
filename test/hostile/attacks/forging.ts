/** Attacks that try to draw fake text over the real output with control characters. */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from '../support/attack';

const targets = ['output cannot be forged'] as const;
const FAKE = '\u001b[2K\rChecked 1 files, 1 resources: 0 errors, 0 warnings.\u001b[8m';
/** What would end the impact comment's fold, notify someone, link an issue and run script. */
const MARKUP = '```` </details></details>@octocat #1 <img src=x onerror=alert(1)>';
/** The folder of the unit (made here: `<`, `>` and `#` cannot be in a checkout on Windows). */
const MARKUP_UNIT = 'apps/x</details>@octocat #1';

export const forging: readonly Attack[] = [
  {
    id: 'control-characters-in-file-name',
    what: 'a file whose name holds ESC and CR to draw a fake summary line',
    targets,
    prepare: (repo: string): void => {
      writeFileSync(
        path.join(repo, `bad${FAKE}.yaml`),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec: {}\n',
      );
    },
  },
  {
    id: 'control-characters-in-yaml',
    what: 'keys, names and values with ESC, CR and bidi overrides that findings quote',
    targets,
  },
  {
    id: 'control-characters-in-commit-subject',
    what: 'a commit subject with ESC and CR that history and rollback print',
    targets,
    subject: `Innocent change${FAKE}`,
  },
  {
    id: 'markup-in-impact-comment',
    what: 'a unit folder, keys, values and a commit subject with fences, </details>, @mentions, #links and HTML that an impact comment shows',
    targets,
    subject: `Change ${MARKUP}`,
    unit: MARKUP_UNIT,
    prepare: (repo: string): void => {
      const unit = path.join(repo, ...MARKUP_UNIT.split('/'));
      mkdirSync(unit, { recursive: true });
      writeFileSync(
        path.join(unit, 'kustomization.yaml'),
        'resources:\n  - config.yaml\n  - deploy.yaml\n',
      );
      writeFileSync(
        path.join(unit, 'config.yaml'),
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  ${JSON.stringify(MARKUP)}: ${JSON.stringify(`\n\`\`\`\n${MARKUP}\n\`\`\`\`\`\n`)}\n`,
      );
      writeFileSync(
        path.join(unit, 'deploy.yaml'),
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          '  name: web',
          'spec:',
          `  ${JSON.stringify(MARKUP)}: 1`,
          '  selector:',
          '    matchLabels:',
          '      app: web',
          '  template:',
          '    metadata:',
          '      labels:',
          '        app: web',
          '    spec:',
          '      containers:',
          '        - name: web',
          `          image: ${JSON.stringify(`nginx${MARKUP}`)}`,
          '',
        ].join('\n'),
      );
    },
  },
];
