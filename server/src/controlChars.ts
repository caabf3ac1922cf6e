/**
 * Text from a repository (file names, YAML keys and values, commit subjects, tool messages) can
 * hold characters that a terminal or a UI acts on instead of showing: ESC sequences that move the
 * cursor, erase or hide lines, CR and BS that overwrite, C1 controls, DEL, line and paragraph
 * separators, and the bidi controls that reorder what is shown (Trojan Source). Printed raw, a
 * repository could draw a fake "0 errors" over the real summary. These functions turn each such
 * character into a visible escape (`\u001b`, `\r`), written the way JSON writes it, so escaped
 * JSON stays valid JSON with the same value.
 */

/* eslint-disable no-control-regex -- matching control characters is the point of this file */
/** Every control of one field, line breaks and tabs included. */
const IN_FIELD =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same in multi-line text, except LF, CRLF and tab. */
const IN_TEXT =
  /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

const SHORT: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

function escapeOne(char: string): string {
  return SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * One field of a line (a file name, a message, a key): every control character escaped,
 * newlines included, so the field can neither start a new line nor act on the terminal.
 */
export function escapeControls(field: string): string {
  return field.replace(IN_FIELD, escapeOne);
}

/**
 * Text of several lines (a report, rendered YAML, a diff, JSON): the same escapes, but its line
 * breaks (LF, CRLF) and tabs are kept.
 */
export function escapeTerminalText(text: string): string {
  return text.replace(IN_TEXT, escapeOne);
}
