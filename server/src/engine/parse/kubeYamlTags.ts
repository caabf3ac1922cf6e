import type { ScalarTag, Tags } from 'yaml';

/*
 * The YAML 1.1 scalars as Kubernetes reads them (sigs.k8s.io/yaml, a fork of go-yaml v2), where
 * they differ from the `yaml` package's YAML 1.1 schema: no sexagesimal numbers (`1:30` is a
 * string), a float needs a digit (`e1`, `.` and `.e1` are strings), an unsigned float starting
 * with a point takes no underscore (`._5` is a string), and Go reads `0o17` and `+_1` as integers.
 * Found by sending each spelling to kube-apiserver.
 */

const FLOAT_EXP =
  /^(?:[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|[-+]\.[0-9_]*[0-9][0-9_]*)|[-+]?\.[0-9]+)[eE][-+]?[0-9]+$/;
const FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|[-+]\.[0-9_]*[0-9][0-9_]*|[-+]?\.[0-9]+)$/;
const SIGNED_INT = /^[-+][0-9_]*[0-9][0-9_]*$/;
const OCTAL_O = /^[-+]?0o[0-7_]+$/;

const signedInt: ScalarTag = {
  identify: (value) => typeof value === 'number' && Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: SIGNED_INT,
  resolve: (text) => Number(text.replace(/_/g, '')),
};

const octalO: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: OCTAL_O,
  resolve: (text) => {
    const negative = text.startsWith('-');
    const digits = text.replace(/^[-+]?0o/, '').replace(/_/g, '');
    const value = parseInt(digits, 8);
    return negative ? -value : value;
  },
};

function isScalarTag(tag: Tags[number]): tag is ScalarTag {
  return typeof tag === 'object' && 'test' in tag;
}

/** The last tags adjusted, by the tags given: the `yaml` package asks once per document. */
let last: { readonly given: Tags; readonly adjusted: Tags } | undefined;

/** `customTags` for the `yaml` package's YAML 1.1 schema. */
export function kubeYamlTags(tags: Tags): Tags {
  if (
    last?.given.length !== tags.length ||
    !tags.every((tag, index) => tag === last?.given[index])
  ) {
    last = { given: tags.slice(), adjusted: adjust(tags) };
  }
  return last.adjusted.slice();
}

function adjust(tags: Tags): Tags {
  const kept = tags.flatMap((tag): Tags => {
    if (!isScalarTag(tag)) return [tag];
    if (tag.format === 'TIME') return [];
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP') {
      return [{ ...tag, test: FLOAT_EXP }];
    }
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.format === undefined && tag.test) {
      const nanOrInf = tag.test.test('.inf');
      return nanOrInf ? [tag] : [{ ...tag, test: FLOAT }];
    }
    return [tag];
  });
  return [...kept, signedInt, octalO];
}
