/**
 * Argo CD's default ApplicationSet templating (fasttemplate): each `{{ name }}` whose trimmed
 * name is a string parameter is replaced; any other tag is left as written.
 */
import type { Params } from './appSetTypes';
import { AppSetProblem } from './appSetTypes';

/** `template` with its `{{param}}` tags replaced from `params`. */
export function fastTemplate(template: string, params: Params): string {
  // Argo CD templates a string only when one of its lines holds `{{...}}`.
  if (!/\{\{.*\}\}/.test(template)) return template;
  let out = '';
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    if (open < 0) break;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) {
      throw new AppSetProblem(
        'invalid',
        `the template "${template}" opens a {{ tag it never closes`,
      );
    }
    const tag = template.slice(open + 2, close);
    const value = params[tag.trim()];
    out += template.slice(at, open);
    out += tag.trim() !== '' && typeof value === 'string' ? value : `{{${tag}}}`;
    at = close + 2;
  }
  return out + template.slice(at);
}
