import type { Environment } from '@marcbachmann/cel-js';
import { Optional } from '@marcbachmann/cel-js';
import { charge } from './celBudget';

/**
 * The Kubernetes format library (`format.dns1123Label().validate(s)`), with the messages of
 * k8s.io/apimachinery/pkg/util/validation.
 */
export class K8sFormat {
  constructor(
    readonly name: string,
    readonly check: (value: string) => string[],
  ) {}
}

/** The receiver of `format.<name>()`: CEL parses `format.x()` as a call on `format`. */
export class FormatLibrary {}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const anchored = (fmt: string): RegExp => new RegExp(`^${fmt}$`);

const maxLen = (length: number): string => `must be no more than ${length} characters`;
/** validation.RegexError: the examples are joined by "', " and " or ", as in Go. */
const regexError = (message: string, fmt: string, ...examples: string[]): string =>
  examples.length === 0
    ? `${message} (regex used for validation is '${fmt}')`
    : `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;

function dns1123Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLen(63));
  if (!anchored(DNS1123_LABEL_FMT).test(value)) {
    errors.push(
      anchored(DNS1123_SUBDOMAIN_FMT).test(value)
        ? 'must not contain dots'
        : regexError(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT,
            'my-name',
            '123-abc',
          ),
    );
  }
  return errors;
}

function dns1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLen(253));
  if (!anchored(DNS1123_SUBDOMAIN_FMT).test(value)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  }
  return errors;
}

function dns1035Label(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLen(63));
  if (!anchored(DNS1035_LABEL_FMT).test(value)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errors;
}

const QNAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

function qualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name = parts[0] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) {
      errors.push('prefix part must be non-empty');
    } else {
      errors.push(...dns1123Subdomain(prefix).map((message) => `prefix part ${message}`));
    }
  } else if (parts.length > 2) {
    return [
      `a qualified name ${regexError(QNAME_MESSAGE, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) {
    errors.push('name part must be non-empty');
  } else if (name.length > 63) {
    errors.push(`name part ${maxLen(63)}`);
  }
  if (!anchored(QNAME_FMT).test(name)) {
    errors.push(
      `name part ${regexError(QNAME_MESSAGE, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errors;
}

function labelValue(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push(maxLen(63));
  if (!anchored(LABEL_VALUE_FMT).test(value)) {
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errors;
}

/** A generated name's prefix may end with '-': checked as if that dash were a letter. */
const prefixed =
  (check: (value: string) => string[]) =>
  (value: string): string[] =>
    check(value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value);

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/;

function uri(value: string): string[] {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) || value.startsWith('/')) {
    return [];
  }
  return [`parse ${JSON.stringify(value)}: invalid URI for request`];
}

const FORMATS: Record<string, (value: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: prefixed(dns1123Label),
  dns1123SubdomainPrefix: prefixed(dns1123Subdomain),
  dns1035LabelPrefix: prefixed(dns1035Label),
  labelValue,
  uri,
  uuid: (value) => (UUID.test(value) ? [] : ['does not match the UUID format']),
  byte: (value) => (BASE64.test(value) ? [] : ['invalid base64']),
  date: (value) => (DATE.test(value) ? [] : ['invalid date']),
  datetime: (value) => (DATE_TIME.test(value) ? [] : ['invalid datetime']),
};

export function registerFormat(env: Environment): void {
  env.registerType('k8s.FormatLibrary', FormatLibrary);
  env.registerType('k8s.Format', K8sFormat);
  env.registerConstant('format', 'k8s.FormatLibrary', new FormatLibrary());
  for (const [name, check] of Object.entries(FORMATS)) {
    env.registerFunction(
      `k8s.FormatLibrary.${name}(): k8s.Format`,
      () => new K8sFormat(name, check),
    );
  }
  env.registerFunction(
    'k8s.FormatLibrary.named(string): optional<k8s.Format>',
    (_: unknown, name: string) => {
      const check = FORMATS[name];
      return check ? Optional.of(new K8sFormat(name, check)) : Optional.none();
    },
  );
  env.registerFunction(
    'k8s.Format.validate(string): optional<list<string>>',
    (format: K8sFormat, value: string) => {
      charge(1 + Math.ceil(value.length / 10));
      const errors = format.check(value);
      return errors.length === 0 ? Optional.none() : Optional.of(errors);
    },
  );
}
