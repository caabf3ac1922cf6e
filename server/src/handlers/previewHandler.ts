import type { Connection } from 'vscode-languageserver';
import { toAbortSignal } from '../cancellation';
import { renderedManifests } from '../protocol';
import type { RenderValidation } from '../renderValidation';
import { filePathOf } from '../validationService';

/** The live preview: the rendered manifests of the unit a file belongs to, with unsaved buffers. */
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
    return rendered.preview(file, toAbortSignal(token));
  });
}
