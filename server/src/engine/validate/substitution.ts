/**
 * Flux post-build substitution (`${var}`, `${var:=default}`, `${var:-default}`): Flux replaces
 * these before it applies a manifest, so a value that holds one may become any type or name.
 */
const FLUX_VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=][^}]*)?\}/;

export function hasSubstitution(value: unknown): boolean {
  return typeof value === 'string' && FLUX_VARIABLE.test(value);
}
