import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCel } from '../../server/src/engine/validate/cel/celProgram';

/** Evaluates a CEL expression in the Kubernetes environment, with `self` bound. */
function cel(expression: string, self: unknown = null): unknown {
  const compiled = compileCel(expression);
  if ('error' in compiled) {
    throw new Error(`${expression}: ${compiled.error}`);
  }
  return compiled.program.evaluate({ self });
}

function fails(expression: string, self: unknown = null): string {
  try {
    cel(expression, self);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error(`${expression} did not fail`);
}

describe('CEL: the Kubernetes libraries', () => {
  it('quantity: parse, compare, add, convert exactly', () => {
    assert.equal(cel("quantity('1Gi').isGreaterThan(quantity('1000Mi'))"), true);
    assert.equal(cel("quantity('1G').isLessThan(quantity('1Gi'))"), true);
    assert.equal(cel("quantity('500m').add(1) == quantity('1500m')"), true);
    assert.equal(cel("quantity('2').sub(quantity('500m')).compareTo(quantity('1.5'))"), 0n);
    assert.equal(cel("quantity('1.5').isInteger()"), false);
    assert.equal(cel("quantity('3k').asInteger()"), 3000n);
    assert.equal(cel("quantity('250m').asApproximateFloat()"), 0.25);
    assert.equal(cel("quantity('-1').sign()"), -1n);
    assert.equal(cel("isQuantity('12Mi') && !isQuantity('12 Mi') && !isQuantity('lots')"), true);
    assert.match(fails("quantity('lots')"), /quantities must match/);
  });

  it('ip and cidr: families, canonical forms, containment, as netip parses them', () => {
    assert.equal(cel("isIP('192.0.2.1') && isIP('2001:db8::1') && !isIP('192.0.2.010')"), true);
    assert.equal(cel("isIP('::ffff:192.0.2.1')"), false);
    assert.equal(cel("ip('2001:db8::1').family() == 6 && ip('127.0.0.1').isLoopback()"), true);
    assert.equal(
      cel("ip('169.254.1.1').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast()"),
      true,
    );
    assert.equal(cel("ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:db8:0:0::1')"), true);
    assert.equal(cel("string(ip('2001:db8:0:0:0:0:0:1')) == '2001:db8::1'"), true);
    assert.equal(
      cel(
        "cidr('10.0.0.0/8').containsIP('10.2.3.4') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))",
      ),
      true,
    );
    assert.equal(
      cel(
        "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')",
      ),
      true,
    );
    assert.equal(
      cel(
        "cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('10.1.2.3/8').prefixLength() == 8",
      ),
      true,
    );
    assert.equal(cel("isCIDR('10.0.0.0/33') || isCIDR('10.0.0.0')"), false);
    assert.match(fails("ip('not an ip')"), /parse error/);
  });

  it('url: the parts of an absolute URL or path', () => {
    assert.equal(cel("url('https://example.com:8443/a/b?x=1&x=2').getPort()"), '8443');
    assert.equal(cel("url('https://[::1]:80/').getHostname()"), '::1');
    assert.equal(cel("url('https://example.com/a%20b').getEscapedPath()"), '/a%20b');
    assert.deepEqual(cel("url('https://example.com/?x=1&x=2').getQuery()['x']"), ['1', '2']);
    assert.equal(
      cel("isURL('/relative/path') && !isURL('example.com') && isURL('https://example.com')"),
      true,
    );
  });

  it('format: the API server messages of each named format', () => {
    assert.deepEqual(cel("format.dns1123Label().validate('my.name').value()"), [
      'must not contain dots',
    ]);
    assert.deepEqual(cel("format.dns1123Label().validate('Bad').value()"), [
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    assert.equal(cel("format.dns1123LabelPrefix().validate('name-').hasValue()"), false);
    assert.equal(cel("format.named('uuid').value().validate('not-a-uuid').hasValue()"), true);
    assert.equal(cel("format.named('nope').hasValue()"), false);
    assert.equal(cel("format.qualifiedName().validate('example.com/Name').hasValue()"), false);
  });

  it('semver: ordering, with and without normalization', () => {
    assert.equal(cel("semver('1.2.3').isLessThan(semver('1.10.0'))"), true);
    assert.equal(cel("semver('1.0.0-alpha').isLessThan(semver('1.0.0'))"), true);
    assert.equal(cel("isSemver('v1.2') || !isSemver('v1.2', true)"), false);
    assert.equal(cel("semver('v01.2', true).major()"), 1n);
  });

  it('regex: matches with RE2 syntax, find and findAll', () => {
    assert.equal(cel("'Shop.v1'.matches('^(?i)shop\\\\.V1$')"), true);
    assert.equal(cel("matches('abc', 'b')"), true);
    assert.equal(cel("'a1b22'.find('[0-9]+')"), '1');
    assert.deepEqual(cel("'a1b22c333'.findAll('[0-9]+', 2)"), ['1', '22']);
    assert.match(fails("'a'.matches('(')"), /invalid regex|missing/);
  });

  it('lists, sets and strings extensions', () => {
    assert.equal(cel('[1, 2, 3].isSorted() && [3, 1].min() == 1 && [1, 2].sum() == 3'), true);
    assert.equal(cel("['a', 'b', 'a'].lastIndexOf('a') == 2 && [1, 2].indexOf(3) == -1"), true);
    assert.equal(cel('sets.contains([1, 2, 3], [3, 1]) && sets.intersects([1], [2, 1])'), true);
    assert.equal(cel('sets.equivalent([1, 2], [2, 1, 1])'), true);
    assert.equal(cel("'héllo'.charAt(1) == 'é' && 'a-b-c'.replace('-', '+', 1) == 'a+b-c'"), true);
    assert.equal(cel("'%s is %s'.format(['x', 'y'])"), 'x is y');
    assert.equal(cel("'%d%%'.format([3])"), '3%');
    assert.equal(cel("strings.quote('a\"b')"), '"a\\"b"');
    assert.equal(cel('lists.range(3) == [0, 1, 2] && [[1], [2]].flatten() == [1, 2]'), true);
  });

  it('has() on any operand, as cel-go allows', () => {
    const self = { matches: [{ path: { type: 'Exact' } }] };
    assert.equal(cel('has(self.matches[0].path) && !has(self.matches[0].headers)', self), true);
  });

  it('optional values compared with null are never equal (cel-go)', () => {
    assert.equal(cel("format.dns1123Label().validate('ok') == null"), false);
  });
});
