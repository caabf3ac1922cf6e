import type { Connection } from 'vscode-languageserver';
import { toAbortSignal } from '../cancellation';
import { renderUnitsOf, renderedManifests } from '../protocol';
import type { RenderValidation } from '../renderValidation';
import { filePathOf } from '../validationService';

/**
 * The live preview: the units a file belongs to, and the rendered manifests of the one chosen
 * (else the first), with unsaved buffers.
 */
export function registerPreview(connection: Connection, rendered: RenderValidation): void {
  connection.onRequest(renderedManifests, async (params, token) => {
    const file = filePathOf(params.uri);
    if (!file) {
      return {
        title: 'Rendered manifests',
        yaml: '',
        error: 'Only files on disk belong to a render unit.',
        reason: 'notOnDisk',
      };
    }
    return rendered.preview(file, toAbortSignal(token), params.unit);
  });
  connection.onRequest(renderUnitsOf, async (params, token) => {
    const file = filePathOf(params.uri);
    return file ? rendered.units(file, toAbortSignal(token)) : { units: [] };
  });
}
