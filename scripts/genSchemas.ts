// `npm run schemas:generate [-- --kubeconfig <file>] [--crds-only]`: writes the schema bundles
// the language server ships (server/src/engine/schemas/bundled/, format in FORMAT.md):
//   kubernetes-<major.minor>.json  from a running kube-apiserver's /openapi/v3 (by default one
//                                  started here through the test harness, without CRDs)
//   crds-flux-argocd.json          from the CRD manifests in tools/crds/
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { escapeNonAscii } from './asciiText';
import path from 'node:path';
import { startControlPlane } from './harness/controlPlane';
import type { ControlPlane } from './harness/controlPlane';
import { runProcess } from './harness/processes';
import { addCrds, kubernetesBundle, sortKeys } from '../server/src/engine/schemas/openapiBundle';
import type { CrdBundle, GroupVersionInput } from '../server/src/engine/schemas/openapiBundle';
import { ensureTools } from './harness/toolchain';
import { repoRoot, toolsDir } from './harness/toolTable';

const outDir = path.join(repoRoot, 'server', 'src', 'engine', 'schemas', 'bundled');

interface Args {
  kubeconfig?: string;
  crdsOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { crdsOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--crds-only') args.crdsOnly = true;
    else if (arg === '--kubeconfig' && argv[i + 1]) args.kubeconfig = argv[++i];
    else if (arg?.startsWith('--kubeconfig=')) args.kubeconfig = arg.slice('--kubeconfig='.length);
    else throw new Error(`Unknown argument ${arg ?? ''}; use --kubeconfig <file> or --crds-only.`);
  }
  return args;
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // ASCII only: read a byte per character, the bundle is a one-byte string (bundles.ts).
  const text = escapeNonAscii(JSON.stringify(value));
  writeFileSync(file, text);
  const size = (Buffer.byteLength(text) / 1024 / 1024).toFixed(2);
  console.log(`wrote ${path.relative(repoRoot, file)} (${size} MB)`);
}

function writeCrdBundle(): void {
  const bundle: CrdBundle = {
    source: 'tools/crds (see tools/crds/SOURCE.md): Flux and Argo CD CustomResourceDefinitions',
    schemas: {},
    scopes: {},
    deprecated: {},
  };
  for (const dir of ['flux', 'argo-cd']) {
    const folder = path.join(toolsDir, 'crds', dir);
    for (const file of readdirSync(folder)
      .filter((name) => name.endsWith('.yaml'))
      .sort()) {
      addCrds(bundle, readFileSync(path.join(folder, file), 'utf8'), file);
    }
  }
  bundle.schemas = sortKeys(bundle.schemas);
  bundle.scopes = sortKeys(bundle.scopes);
  bundle.deprecated = sortKeys(bundle.deprecated);
  writeJson(path.join(outDir, 'crds-flux-argocd.json'), bundle);
}

async function writeKubernetesBundle(kubeconfig: string): Promise<void> {
  const { kubectl } = await ensureTools(['kubectl']);
  const raw = async (url: string): Promise<unknown> => {
    const args = [`--kubeconfig=${kubeconfig}`, 'get', '--raw', url];
    const { stdout } = await runProcess(kubectl, args, { timeoutMs: 60_000 });
    return JSON.parse(stdout) as unknown;
  };
  const version = (await raw('/version')) as { gitVersion: string };
  const index = (await raw('/openapi/v3')) as {
    paths: Record<string, { serverRelativeURL: string }>;
  };
  const crds = (await raw('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')) as {
    items: Array<{ spec: { group: string; versions: Array<{ name: string }> } }>;
  };
  const custom = new Set(
    crds.items.flatMap((c) => c.spec.versions.map((v) => `${c.spec.group}/${v.name}`)),
  );

  const entries = Object.entries(index.paths).flatMap(([key, value]) => {
    const match = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(key);
    if (!match) return [];
    const group = match[2] ?? '';
    const gv = { key, group, version: match[1] ?? match[3] ?? '', url: value.serverRelativeURL };
    return custom.has(`${group}/${gv.version}`) ? [] : [gv];
  });
  const groupVersions: GroupVersionInput[] = [];
  for (const entry of entries) {
    groupVersions.push({
      group: entry.group,
      version: entry.version,
      openapi: (await raw(entry.url)) as GroupVersionInput['openapi'],
      discovery: (await raw(`/${entry.key}`)) as GroupVersionInput['discovery'],
    });
  }
  const kubernetesVersion = version.gitVersion.replace(/^v/, '');
  const source = `kube-apiserver ${version.gitVersion} /openapi/v3 (${groupVersions.length} group-versions)`;
  const bundle = kubernetesBundle(groupVersions, kubernetesVersion, source);
  const minor = kubernetesVersion.split('.').slice(0, 2).join('.');
  writeJson(path.join(outDir, `kubernetes-${minor}.json`), bundle);
  console.log(
    `${Object.keys(bundle.schemas).length} schemas, ${Object.keys(bundle.kinds).length} kinds`,
  );
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  writeCrdBundle();
  if (args.crdsOnly) return;
  let plane: ControlPlane | undefined;
  try {
    let kubeconfig = args.kubeconfig;
    if (kubeconfig === undefined) {
      console.log('starting etcd + kube-apiserver (every API enabled) to read its OpenAPI...');
      plane = await startControlPlane({
        withControllerManager: false,
        withKwok: false,
        installCrds: false,
        allApis: true,
      });
      kubeconfig = plane.kubeconfigPath;
    }
    await writeKubernetesBundle(kubeconfig);
  } finally {
    await plane?.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `npm run schemas:generate: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
