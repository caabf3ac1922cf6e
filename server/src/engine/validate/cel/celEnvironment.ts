import { Environment } from '@marcbachmann/cel-js';
import { registerCollections } from './libCollections';
import { registerFormat } from './libFormat';
import { registerNetwork } from './libNetwork';
import { registerQuantity } from './libQuantity';
import { registerRegex } from './libRegex';
import { registerSemver } from './libSemver';
import { registerUrl } from './libUrl';

let shared: Environment | undefined;

/**
 * The CEL environment of CRD validation rules in kube-apiserver 1.34: the standard library,
 * optional types, and the Kubernetes libraries (lists, regex, url, quantity, ip, cidr, format,
 * semver) with cel-go's strings, sets and lists extensions. Built once.
 */
export function celEnvironment(): Environment {
  if (!shared) {
    const env = new Environment({
      unlistedVariablesAreDyn: true,
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: true,
    });
    registerRegex(env);
    registerCollections(env);
    registerUrl(env);
    registerQuantity(env);
    registerNetwork(env);
    registerFormat(env);
    registerSemver(env);
    shared = env;
  }
  return shared;
}
