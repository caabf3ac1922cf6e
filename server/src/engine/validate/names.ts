/** The name formats the API server enforces (k8s.io/apimachinery/pkg/util/validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Each returns undefined when valid, else what is wrong, phrased to follow "must". */
export type NameCheck = (value: string) => string | undefined;

export const dns1123Label: NameCheck = (value) =>
  value.length > 63
    ? 'be no more than 63 characters'
    : DNS1123_LABEL.test(value)
      ? undefined
      : "consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";

/** A DNS-1035 label (Service names): a DNS label that starts with a letter. */
export const dns1035Label: NameCheck = (value) =>
  value.length > 63
    ? 'be no more than 63 characters'
    : DNS1035_LABEL.test(value)
      ? undefined
      : "consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character";

export const dns1123Subdomain: NameCheck = (value) =>
  value.length > 253
    ? 'be no more than 253 characters'
    : DNS1123_SUBDOMAIN.test(value)
      ? undefined
      : "consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character";

export const pathSegmentName: NameCheck = (value) =>
  value === '.' || value === '..'
    ? 'not be "." or ".."'
    : /[/%]/.test(value)
      ? "not contain '/' or '%'"
      : undefined;

/** A label or annotation key: an optional DNS subdomain prefix and a name of at most 63. */
export const qualifiedName: NameCheck = (value) => {
  const parts = value.split('/');
  if (parts.length > 2) {
    return "be a name with an optional DNS prefix, with at most one '/'";
  }
  const name = parts.length === 2 ? (parts[1] ?? '') : value;
  const prefix = parts.length === 2 ? parts[0] : undefined;
  if (prefix !== undefined && (prefix === '' || dns1123Subdomain(prefix))) {
    return 'have a prefix that is a DNS subdomain (e.g. example.com/)';
  }
  if (name.length === 0 || name.length > 63) {
    return 'have a name part of 1 to 63 characters';
  }
  return QUALIFIED_NAME_PART.test(name)
    ? undefined
    : "have a name part of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character";
};

export const labelValue: NameCheck = (value) =>
  value.length > 63
    ? 'be no more than 63 characters'
    : value === '' || QUALIFIED_NAME_PART.test(value)
      ? undefined
      : "be empty or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character";

/** A named port: at most 15 characters, lower case letters, digits and '-', with a letter. */
export const ianaServiceName: NameCheck = (value) =>
  value.length > 15
    ? 'be no more than 15 characters'
    : !IANA_SVC_NAME.test(value) || value.includes('--')
      ? "consist of lower case alphanumeric characters or '-' (no '--'), starting and ending with an alphanumeric character"
      : /[a-z]/.test(value)
        ? undefined
        : 'contain at least one letter';

export const configMapKey: NameCheck = (value) =>
  value.length > 253
    ? 'be no more than 253 characters'
    : CONFIG_MAP_KEY.test(value)
      ? undefined
      : "consist of alphanumeric characters, '-', '_' or '.'";
