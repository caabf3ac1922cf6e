/**
 * Kubeconfig exec credential plugins (`users[].user.exec`: aws, gcloud, kubelogin...), run by us
 * rather than by client-node so that they have a time limit: no shell, the kubeconfig's env on
 * top of ours, `KUBERNETES_EXEC_INFO` set, the process killed when it takes too long. Callers
 * never get here in an untrusted workspace (no KubeApi is created there).
 *
 * No memory limit, unlike helm and kustomize: the command comes from the user's own kubeconfig,
 * not from a repository, and cloud CLIs (gcloud, aws) legitimately take hundreds of MB.
 */
import { spawn } from 'node:child_process';
import { ClusterError } from './clusterErrors';

export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: ReadonlyArray<{ name: string; value: string }>;
  readonly apiVersion?: string;
}

/** What the plugin answered: a token or a client certificate, and when it expires. */
export interface ExecCredential {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  /** Milliseconds since the epoch; undefined when it does not expire. */
  readonly expiresAt?: number;
}

const MAX_OUTPUT = 1024 * 1024;

export function isExecConfig(value: unknown): value is ExecConfig {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { command?: unknown }).command === 'string'
  );
}

export function runExecPlugin(
  exec: ExecConfig,
  context: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ExecCredential> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const name = `The credential plugin "${exec.command}" of context "${context}"`;
  const fail = (message: string): ClusterError =>
    new ClusterError('unauthorized', `${name} ${message}`, context);
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const entry of exec.env ?? []) env[entry.name] = entry.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
      apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    const child = spawn(exec.command, [...(exec.args ?? [])], {
      env,
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? fail('is not installed or not on PATH: install it, or choose another context.')
          : error.name === 'AbortError'
            ? new ClusterError('cancelled', `${name} was cancelled.`, context)
            : fail(`could not start (${error.code ?? error.message}).`),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new ClusterError(
            'timeout',
            `${name} did not answer within ${timeoutMs / 1000} s and was stopped: run it in a terminal (it may want you to log in), then retry.`,
            context,
          ),
        );
        return;
      }
      if (code !== 0) {
        const detail = stderr.trim().split('\n')[0]?.slice(0, 200);
        reject(
          fail(
            `failed (exit code ${code ?? 'none'}${detail ? `: ${detail}` : ''}): log in again with it, then retry.`,
          ),
        );
        return;
      }
      const credential = parseCredential(stdout);
      if (!credential) {
        reject(fail('printed no ExecCredential with a token or certificate.'));
        return;
      }
      resolve(credential);
    });
  });
}

function parseCredential(text: string): ExecCredential | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const status = (parsed as { status?: Record<string, unknown> } | null)?.status;
  if (!status) return undefined;
  const text_ = (key: string): string | undefined =>
    typeof status[key] === 'string' && status[key] !== '' ? status[key] : undefined;
  const token = text_('token');
  const cert = text_('clientCertificateData');
  const key = text_('clientKeyData');
  if (!token && !(cert && key)) return undefined;
  const expiry = text_('expirationTimestamp');
  const expiresAt = expiry ? Date.parse(expiry) : NaN;
  return {
    ...(token ? { token } : {}),
    ...(cert && key ? { clientCertificateData: cert, clientKeyData: key } : {}),
    ...(Number.isFinite(expiresAt) ? { expiresAt } : {}),
  };
}
