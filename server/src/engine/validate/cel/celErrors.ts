/** An error raised by a Kubernetes library function, reported as the API server reports it. */
export class CelRuntimeError extends Error {
  override readonly name = 'CelRuntimeError';
}

export function celError(message: string): CelRuntimeError {
  return new CelRuntimeError(message);
}

/**
 * The text of an evaluation error, as cel-go words it: cel-js says "No such key: x" where
 * cel-go says "no such key: x".
 */
export function celErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n')[0] ?? text;
  return first
    .replace(/^No such key: /, 'no such key: ')
    .replace(/^Unknown variable: /, 'undeclared reference to ');
}
