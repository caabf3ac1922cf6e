/**
 * Base64 as Go's encoding/json reads a []byte field (base64.StdEncoding): the standard
 * alphabet, padding required, line breaks ignored, nothing else. Returns the decoded length,
 * or undefined when the text is not base64.
 */
export function base64Length(text: string): number | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (
    compact.length % 4 !== 0 ||
    !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)
  ) {
    return undefined;
  }
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return (compact.length / 4) * 3 - padding;
}
