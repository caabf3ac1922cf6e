// Credentials of a test control plane, made with node:crypto only (no openssl needed).
// kube-apiserver makes its own serving certificate and CA in --cert-dir.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export interface ControlPlaneCredentials {
  serviceAccountKeyFile: string;
  serviceAccountPublicKeyFile: string;
  tokenFile: string;
  adminToken: string;
  readonlyToken: string;
}

export const adminUser = 'workbench-admin';
export const readonlyUser = 'workbench-readonly';

/** Writes the service account key pair and tokens.csv (static bearer tokens) into `dir`. */
export function writeCredentials(dir: string): ControlPlaneCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountKeyFile = path.join(dir, 'sa.key');
  const serviceAccountPublicKeyFile = path.join(dir, 'sa.pub');
  writeFileSync(serviceAccountKeyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }), {
    mode: 0o600,
  });
  writeFileSync(serviceAccountPublicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const adminToken = randomBytes(24).toString('hex');
  const readonlyToken = randomBytes(24).toString('hex');
  const tokenFile = path.join(dir, 'tokens.csv');
  // token,user,uid,"group1,group2"
  const rows = [
    `${adminToken},${adminUser},${adminUser},"system:masters"`,
    `${readonlyToken},${readonlyUser},${readonlyUser}`,
  ];
  writeFileSync(tokenFile, `${rows.join('\n')}\n`, { mode: 0o600 });
  return {
    serviceAccountKeyFile,
    serviceAccountPublicKeyFile,
    tokenFile,
    adminToken,
    readonlyToken,
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not find a free port on 127.0.0.1.'));
      });
    });
  });
}

/** `count` distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** The last PEM certificate of a bundle (kube-apiserver's cert-dir file ends with its CA). */
export function lastCertificate(pemBundle: string): string {
  const blocks = pemBundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  const last = blocks?.[blocks.length - 1];
  if (last === undefined) throw new Error('No certificate found in the PEM bundle.');
  return `${last}\n`;
}
