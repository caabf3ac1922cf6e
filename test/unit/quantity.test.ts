// resource.ParseQuantity's grammar and values, with the cases of k8s.io/apimachinery's
// pkg/api/resource/quantity_test.go (TestQuantityParse, TestParseQuantityString, TestQuantityCmp,
// TestJSONWhitespace) and the corners of its scanner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalQuantity,
  compareQuantities,
  isValidQuantity,
  parseQuantity,
  quantityOfJsonValue,
} from '../../server/src/engine/parse/quantity';
import type { Quantity } from '../../server/src/engine/parse/quantity';

/** The exact decimal value of a quantity: `1024`, `0.000000124`, `-1.5`. */
function decimal(quantity: Quantity | undefined): string | undefined {
  if (!quantity) return undefined;
  const sign = quantity.negative ? '-' : '';
  const digits = quantity.coefficient.toString();
  if (quantity.exponent >= 0) return sign + digits + '0'.repeat(quantity.exponent);
  const padded = digits.padStart(-quantity.exponent + 1, '0');
  const point = padded.length + quantity.exponent;
  return `${sign}${padded.slice(0, point)}.${padded.slice(point)}`;
}

const value = (text: string): string | undefined => decimal(parseQuantity(text));
const e = (digits: string, zeros: number): string => digits + '0'.repeat(zeros);
const KI = 1024n;

// TestQuantityParse's table: input, exact value.
const PARSED: ReadonlyArray<readonly [string, string]> = [
  ['0', '0'],
  ['0n', '0'],
  ['0u', '0'],
  ['0m', '0'],
  ['0Ki', '0'],
  ['0k', '0'],
  ['0Mi', '0'],
  ['0M', '0'],
  ['0Gi', '0'],
  ['0G', '0'],
  ['0Ti', '0'],
  ['0T', '0'],
  ['1', '1'],
  ['1Ki', '1024'],
  ['8Ki', String(8n * KI)],
  ['7Mi', String(7n * KI ** 2n)],
  ['6Gi', String(6n * KI ** 3n)],
  ['5Ti', String(5n * KI ** 4n)],
  ['4Pi', String(4n * KI ** 5n)],
  ['3Ei', String(3n * KI ** 6n)],
  ['10Ti', String(10n * KI ** 4n)],
  ['100Ti', String(100n * KI ** 4n)],
  ['5n', '0.000000005'],
  ['4u', '0.000004'],
  ['3m', '0.003'],
  ['9', '9'],
  ['8k', '8000'],
  ['50k', '50000'],
  ['7M', e('7', 6)],
  ['6G', e('6', 9)],
  ['5T', e('5', 12)],
  ['40T', e('4', 13)],
  ['300T', e('3', 14)],
  ['2P', e('2', 15)],
  ['1E', e('1', 18)],
  ['1E-3', '0.001'],
  ['1e3', '1000'],
  ['1E6', e('1', 6)],
  ['1e9', e('1', 9)],
  ['1E12', e('1', 12)],
  ['1e15', e('1', 15)],
  ['1E18', e('1', 18)],
  ['1e14', e('1', 14)],
  ['1e13', e('1', 13)],
  ['100.035k', '100035'],
  ['0.001', '0.001'],
  ['0.0005k', '0.5'],
  ['0.005', '0.005'],
  ['0.05', '0.05'],
  ['0.5', '0.5'],
  ['0.00050k', '0.5'],
  ['0.00500', '0.005'],
  ['0.05000', '0.05'],
  ['0.50000', '0.5'],
  ['0.5e0', '0.5'],
  ['0.5e-1', '0.05'],
  ['0.5e-2', '0.005'],
  ['10.035M', '10035000'],
  ['1.2e3', '1200'],
  ['1.3E+6', '1300000'],
  ['1.40e9', e('14', 8)],
  ['1.53E12', e('153', 10)],
  ['1.6e15', e('16', 14)],
  ['1.7E18', e('17', 17)],
  ['9.01', '9.01'],
  ['8.1k', '8100'],
  ['7.123456M', '7123456'],
  ['6.987654321G', '6987654321'],
  ['5.444T', e('5444', 9)],
  ['40.1T', e('401', 11)],
  ['300.2T', e('3002', 11)],
  ['2.5P', e('25', 14)],
  ['1.01E', e('101', 16)],
  // Things that saturate or round up to 1n
  ['3.001n', '0.000000004'],
  ['1.1E-9', '0.000000002'],
  ['0.0000000001', '0.000000001'],
  ['0.0000000005', '0.000000001'],
  ['0.00000000050', '0.000000001'],
  ['0.5e-9', '0.000000001'],
  ['0.9n', '0.000000001'],
  ['0.00000012345', '0.000000124'],
  ['0.00000012354', '0.000000124'],
  ['9Ei', '9223372036854775807'],
  ['9223372036854775807Ki', '9223372036854775807'],
  ['12E', e('12', 18)],
  // Fractional binary quantities
  ['100.035Ki', '102435.84'],
  ['0.5Mi', String(KI ** 2n / 2n)],
  ['0.05Gi', '53687091.2'],
  ['0.025Ti', '27487790694.4'],
  // "Things written by trolls"
  ['0.000000000001Ki', '0.000000002'],
  ['.001', '0.001'],
  ['.0001k', '0.1'],
  ['1.', '1'],
  ['1.G', e('1', 9)],
];

// TestQuantityParse's invalid list.
const REFUSED_UPSTREAM = [
  '',
  '1.1.M',
  '1+1.0M',
  '0.1mi',
  '0.1am',
  'aoeu',
  '.5i',
  '1i',
  '-3.01i',
  '-3.01e-',
  ' 1',
  '1 ',
  'Non-Numeric',
];

describe('parseQuantity: resource.ParseQuantity', () => {
  it('reads every quantity of apimachinery TestQuantityParse to its exact value', () => {
    for (const [input, expected] of PARSED) {
      assert.equal(value(input), expected, input);
    }
  });

  it('reads each of them with a - or + in front, as TestQuantityParse does', () => {
    for (const [input, expected] of PARSED) {
      assert.equal(value(`-${input}`), expected === '0' ? '0' : `-${expected}`, `-${input}`);
      assert.equal(value(`+${input}`), expected, `+${input}`);
    }
  });

  it('refuses what TestQuantityParse refuses', () => {
    for (const input of REFUSED_UPSTREAM) {
      assert.equal(parseQuantity(input), undefined, JSON.stringify(input));
    }
  });

  it('refuses an exponent that is not a whole number, and other suffixes the scanner rejects', () => {
    for (const input of [
      '1e2.5',
      '1e',
      '1e+',
      '1E-',
      '1e3k',
      '1ke3',
      '1Ee3',
      '1K',
      '1k3',
      '1Ki5',
      '1KI',
      '1mm',
      '1Kib',
      '1 Gi',
      '1,5',
      '0x10',
      '1_000',
      '--1',
      '+-1',
      '1e9223372036854775808',
      '١',
    ]) {
      assert.equal(parseQuantity(input), undefined, input);
    }
  });

  it('takes numbers without digits as zero, as the scanner does (TestParseQuantityString)', () => {
    for (const input of ['.', '-.', '+', '-', '+.', 'k', 'm', 'Mi', '-.Ki', 'e3', '.e-9', '00']) {
      assert.equal(value(input), '0', input);
    }
  });

  it('refuses a number without digits when only arbitrary precision can hold it', () => {
    // Ei and Pi always take that path; so does a decimal exponent below -9.
    for (const input of ['Ei', 'Pi', '.Ei', '.e-10', 'e-12', '-.e-10']) {
      assert.equal(parseQuantity(input), undefined, input);
    }
    assert.equal(value('0Ei'), '0');
    assert.equal(value('0.e-10'), '0');
  });

  it('reads exponents with a sign and leading zeros, truncated to 32 bits like the Go code', () => {
    assert.equal(value('1e+3'), '1000');
    assert.equal(value('1E0003'), '1000');
    assert.equal(value('5.e-1'), '0.5');
    assert.equal(value('1e4294967296'), '1', '2^32 truncates to 0');
    assert.equal(value('1e4294967299'), '1000');
    assert.equal(value('1e9223372036854775807'), '0.1', 'int32(2^63-1) is -1');
    assert.equal(value('2e-4294967296'), '2');
  });

  it('keeps decimal quantities exact and uncapped, caps binary ones at 2^63-1', () => {
    assert.equal(value('1Ei'), String(1n << 60n));
    assert.equal(value('8Ei'), '9223372036854775807');
    assert.equal(value('-9Ei'), '-9223372036854775807');
    assert.equal(value('18446744073709551616'), '18446744073709551616');
    assert.equal(value('123456789012345678901234567890'), '123456789012345678901234567890');
    assert.equal(value('1e40'), e('1', 40));
    assert.equal(value('1000E'), e('1', 21));
    assert.equal(value('1.2345'), '1.2345');
    assert.equal(value('-0.0000000001'), '-0.000000001', 'rounded away from zero');
    const huge = parseQuantity('1e2000000000');
    assert.deepEqual(huge, { negative: false, coefficient: 1n, exponent: 2_000_000_000 });
    assert.equal(value('1e-2000000000'), '0.000000001');
  });
});

describe('compareQuantities: Quantity.Cmp', () => {
  const cmp = (a: string, b: string): number => {
    const [left, right] = [parseQuantity(a), parseQuantity(b)];
    assert.ok(left && right, `${a} and ${b} parse`);
    return compareQuantities(left, right);
  };

  it('orders quantities by value (TestQuantityCmp and more)', () => {
    assert.equal(cmp('0', '0'), 0);
    assert.equal(cmp('100m', '50m'), 1);
    assert.equal(cmp('50m', '100m'), -1);
    assert.equal(cmp('10000T', '100Gi'), 1);
    assert.equal(cmp('1Gi', '1073741824'), 0);
    assert.equal(cmp('1G', '1Gi'), -1);
    assert.equal(cmp('0.1', '100m'), 0);
    assert.equal(cmp('-1', '1'), -1);
    assert.equal(cmp('-2', '-1'), -1);
    assert.equal(cmp('-0', '0'), 0);
    assert.equal(cmp('1e2000000000', '9Ei'), 1);
    assert.equal(cmp('1n', '0'), 1);
    assert.equal(cmp('999999999999999999999', '1e21'), -1);
    assert.equal(cmp('8Ei', '9Ei'), 0, 'both capped');
  });
});

describe('quantityOfJsonValue: what Quantity.UnmarshalJSON reads', () => {
  it('trims spaces as TestJSONWhitespace shows, but not what JSON escapes', () => {
    assert.equal(decimal(quantityOfJsonValue(' 1')), '1');
    assert.equal(decimal(quantityOfJsonValue('1 ')), '1');
    assert.equal(decimal(quantityOfJsonValue('\u00a0100m\u3000')), '0.1');
    assert.equal(quantityOfJsonValue('1\t'), undefined, 'a tab arrives as \\t');
    assert.equal(quantityOfJsonValue('\n1'), undefined);
    assert.equal(quantityOfJsonValue('1\u2028'), undefined, 'Go escapes U+2028');
    assert.equal(quantityOfJsonValue('1\ufeff'), undefined, 'not a space to Go');
  });

  it('reads a finite number by its text, and nothing else', () => {
    assert.equal(decimal(quantityOfJsonValue(0.1)), '0.1');
    assert.equal(decimal(quantityOfJsonValue(-1)), '-1');
    assert.equal(decimal(quantityOfJsonValue(1e21)), e('1', 21));
    assert.equal(decimal(quantityOfJsonValue(1e-7)), '0.0000001');
    for (const [index, other] of [Infinity, NaN, true, null, undefined, {}, ['1']].entries()) {
      assert.equal(quantityOfJsonValue(other), undefined, `value ${index}`);
      assert.equal(isValidQuantity(other), false, `value ${index}`);
    }
    assert.equal(isValidQuantity('1e2.5'), false);
    assert.equal(isValidQuantity('500m'), true);
  });
});

describe('canonicalQuantity: one spelling per value', () => {
  it('spells equal values alike and different values apart', () => {
    const same = [
      ['1Gi', '1024Mi', '1073741824', '1.Gi', '0.0009765625Ti', '+1Gi', ' 1Gi'],
      ['100m', '0.1', '1e-1', '.1', '100000u', '100000000n', '0.1e0'],
      ['1k', '1000', '1e3', '1E3', '0.001M', 1000],
      ['0', '0Ki', '.', '-0', '0e9', 0],
      ['8Ei', '9Ei', '9223372036854775807'],
    ];
    const spellings = same.map((group) => {
      const spelled = new Set(group.map((input) => canonicalQuantity(input)));
      assert.equal(spelled.size, 1, `${group.join(', ')}: ${[...spelled].join(', ')}`);
      return [...spelled][0];
    });
    assert.deepEqual(spellings, ['1Gi', '100m', '1k', '0', '9223372036854775807']);
    assert.notEqual(canonicalQuantity('1G'), canonicalQuantity('1Gi'));
    assert.notEqual(canonicalQuantity('1e200'), canonicalQuantity('1e201'));
    assert.equal(canonicalQuantity('-1.5Gi'), '-1536Mi');
    assert.equal(canonicalQuantity('1.5'), '1500m');
    assert.equal(canonicalQuantity('0.9n'), '1n');
    assert.equal(canonicalQuantity('fast'), undefined);
    assert.equal(canonicalQuantity('1e2.5'), undefined);
  });
});
