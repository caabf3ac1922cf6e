import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTextReport } from '../../server/src/cli/formatReport';
import { escapeControls, escapeTerminalText } from '../../server/src/controlChars';
import { findingToDiagnostic } from '../../server/src/findingToDiagnostic';
import type { FileFinding } from '../../server/src/engine';

/* eslint-disable no-control-regex -- the raw characters the escapes must leave none of */
const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/* eslint-enable no-control-regex */

/** Every character a terminal or a UI acts on, with the escape it must become. */
const UNSAFE: ReadonlyArray<readonly [string, string]> = [
  ['\u0000', '\\u0000'],
  ['\u0007', '\\u0007'], // BEL
  ['\b', '\\b'],
  ['\u000b', '\\u000b'],
  ['\f', '\\f'],
  ['\u000e', '\\u000e'],
  ['\u001b', '\\u001b'], // ESC
  ['\u007f', '\\u007f'], // DEL
  ['\u0085', '\\u0085'], // NEL
  ['\u009b', '\\u009b'], // CSI, one byte
  ['\u009d', '\\u009d'], // OSC
  ['\u061c', '\\u061c'], // Arabic letter mark
  ['\u200e', '\\u200e'],
  ['\u200f', '\\u200f'],
  ['\u2028', '\\u2028'],
  ['\u2029', '\\u2029'],
  ['\u202a', '\\u202a'],
  ['\u202b', '\\u202b'],
  ['\u202c', '\\u202c'],
  ['\u202d', '\\u202d'],
  ['\u202e', '\\u202e'], // right-to-left override
  ['\u2066', '\\u2066'],
  ['\u2067', '\\u2067'],
  ['\u2068', '\\u2068'],
  ['\u2069', '\\u2069'],
];

describe('escapeControls (one field)', () => {
  it('turns every control, separator and bidi control into a visible escape', () => {
    for (const [char, escaped] of UNSAFE) {
      assert.equal(escapeControls(`a${char}b`), `a${escaped}b`, escaped);
    }
  });

  it('escapes line breaks and tabs too, so a field cannot start a line', () => {
    assert.equal(escapeControls('a\nb\r\nc\rd\te'), 'a\\nb\\r\\nc\\rd\\te');
  });

  it('leaves ordinary text alone: accents, CJK, emoji, Windows paths', () => {
    for (const text of ['café', '日本語', 'ok ✅ 🚀', 'C:\\Users\\ada\\app.yaml', 'a "b" \'c\'']) {
      assert.equal(escapeControls(text), text);
    }
  });

  it('shows a forged summary as text', () => {
    const key = '\u001b[2K\rChecked 1 file, 1 resource: 0 errors, 0 warnings.\u001b[8m';
    assert.equal(
      escapeControls(key),
      '\\u001b[2K\\rChecked 1 file, 1 resource: 0 errors, 0 warnings.\\u001b[8m',
    );
  });
});

describe('escapeTerminalText (several lines)', () => {
  it('keeps LF, CRLF and tabs, escapes a lone CR and every other control', () => {
    assert.equal(
      escapeTerminalText('a: 1\r\nb:\t2\nc: x\ry\u001b[31m\u202ez\n'),
      'a: 1\r\nb:\t2\nc: x\\ry\\u001b[31m\\u202ez\n',
    );
  });

  it('keeps JSON valid and equal: JSON.stringify alone leaves DEL, C1, U+2028 and bidi raw', () => {
    const value = { message: UNSAFE.map(([char]) => char).join('|') + '\r\n\t' };
    const json = JSON.stringify(value, null, 2);
    assert.ok(json.includes('\u202e') && json.includes('\u009b') && json.includes('\u007f'));
    const escaped = escapeTerminalText(json);
    assert.doesNotMatch(escaped, RAW_CONTROL);
    assert.deepEqual(JSON.parse(escaped), value);
  });
});

function finding(file: string, message: string): FileFinding {
  const start = { line: 2, character: 4 };
  return { file, range: { start, end: start }, severity: 'error', code: 'unknown-field', message };
}

describe('the check report and the diagnostics', () => {
  it('one line per finding and the summary last, whatever the file names and messages hold', () => {
    const forged = 'Checked 1 file, 1 resource: 0 errors, 0 warnings.';
    const text = formatTextReport({
      files: 2,
      resources: 2,
      findings: [
        finding(`evil\n${forged}\n.yaml`, 'Unknown field "a".'),
        finding('ok.yaml', `Unknown field "\u001b[2K\r${forged}\u001b[8m".`),
      ],
    });
    const lines = text.split('\n');
    assert.equal(lines.length, 4, 'two findings, the summary, the final newline');
    assert.equal(
      lines[0],
      `evil\\n${forged}\\n.yaml:3:5: error [unknown-field] Unknown field "a".`,
    );
    assert.equal(
      lines[1],
      `ok.yaml:3:5: error [unknown-field] Unknown field "\\u001b[2K\\r${forged}\\u001b[8m".`,
    );
    assert.equal(lines[2], 'Checked 2 files, 2 resources: 2 errors, 0 warnings.');
  });

  it('a diagnostic shows a repository key escaped, on one line, its order kept', () => {
    const diagnostic = findingToDiagnostic(finding('x.yaml', 'Unknown field "ab\u202edc\nx".'));
    assert.equal(diagnostic.message, 'Unknown field "ab\\u202edc\\nx".');
  });
});
