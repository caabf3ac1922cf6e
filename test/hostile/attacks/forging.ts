/** Attacks that try to draw fake text over the real output with control characters. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attack } from '../support/attack';

const targets = ['output cannot be forged'] as const;
const FAKE = '\u001b[2K\rChecked 1 files, 1 resources: 0 errors, 0 warnings.\u001b[8m';

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
];
