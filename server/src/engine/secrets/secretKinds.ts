/**
 * What counts as a Secret and as a Secret's value, decided as conservatively as the tools that
 * read the manifests (kubectl, kustomize, the API server) could decide it.
 */

/** The annotation `kubectl apply` writes: it holds the whole applied object, values included. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The fields of a Secret whose values are secret (`binaryData` too, should one be written). */
export const VALUE_FIELDS: readonly string[] = ['data', 'stringdata', 'binarydata'];

/**
 * A kind that names a Secret. Compared without case and surrounding spaces: the tools compare
 * exactly, so this only ever masks more than they would apply.
 */
export function isSecretKind(kind: string): boolean {
  return kind.trim().toLowerCase() === 'secret';
}

/** `SecretList` (an API list of Secrets, whose items carry no `kind` of their own). */
export function isSecretListKind(kind: string): boolean {
  return kind.trim().toLowerCase().endsWith('secretlist');
}

/**
 * Whether a YAML or JSON text may hold a Secret. A kind can only resolve to "Secret" (or end in
 * "SecretList") when the text spells it as a word of its own (in any case: `kind: Secret`,
 * `"kind":"Secret"`), or writes it with an escape (`"Secr\u0065t"`, a `\` line continuation),
 * or with a tag (`!!binary U2VjcmV0`, which go-yaml decodes to the string). Folding a multi-line
 * scalar adds a space, and aliases, merge keys and flow style only repeat text that is itself in
 * the stream, so a text with none of these holds no Secret, however it is laid out; NEL, LS and
 * PS, which go-yaml reads as line breaks, are not word characters. `secretKeyRef`, `secretName`
 * and `imagePullSecrets` do not count, so most workloads skip the parse.
 */
export function mayHoldSecret(text: string): boolean {
  return MAY_HOLD_SECRET.test(text);
}

const MAY_HOLD_SECRET = /\bsecret\b|secretlist\b|[\\!]/i;

/**
 * A field path (as findings write them: `data.password`, `stringData.token`,
 * `metadata.annotations.kubectl.kubernetes.io/last-applied-configuration`) whose value is a
 * Secret's value, which a message must never quote.
 */
export function isSecretValuePath(path: string): boolean {
  const lower = path.toLowerCase();
  return (
    VALUE_FIELDS.some(
      (field) => lower === field || lower.startsWith(`${field}.`) || lower.startsWith(`${field}[`),
    ) || lower.startsWith('metadata.annotations')
  );
}
