import { CompletionItemKind, MarkupKind } from 'vscode-languageserver';
import type {
  CompletionItem,
  Connection,
  Hover,
  Location,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import {
  completeAt,
  definitionAt,
  hoverAt,
  valuesCompletionIn,
  valuesDefinitionAt,
  valuesHoverIn,
} from '../engine';
import { toAbortSignal } from '../cancellation';
import { filePathOf } from '../validationService';
import type { CompletionEntry, Workspace } from '../engine';
import type { SettingsProvider } from '../settingsCache';
import type { ValidationService } from '../validationService';

const KINDS: Record<CompletionEntry['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  kind: CompletionItemKind.Class,
  apiVersion: CompletionItemKind.Module,
};

/** Hover and completion, from the schemas of the document's target Kubernetes version. */
export function registerAssist(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsProvider,
  validation: ValidationService,
  /** The repository root a file's paths are relative to, and its files (the workspace's). */
  workspace: Pick<Workspace, 'rootOf' | 'knownYamlFiles' | 'valuesAssist'>,
): void {
  connection.onDefinition(async (params, token): Promise<Location[]> => {
    const document = documents.get(params.textDocument.uri);
    const file = document ? filePathOf(document.uri) : undefined;
    if (!document || !file) {
      return [];
    }
    const workspaceRoot = workspace.rootOf(file);
    const open = openTexts(documents);
    const readText = (candidate: string): string | undefined => open.get(candidate);
    // A `.Values.a.b` of a chart template: the key in the chart's values files.
    const values = await valuesDefinitionAt(document.getText(), params.position, file, {
      readText,
      signal: toAbortSignal(token),
    });
    const targets =
      values ??
      (await definitionAt(document.getText(), params.position, {
        file,
        workspaceRoot,
        readText,
        yamlFiles: (root) => workspace.knownYamlFiles(root),
        signal: toAbortSignal(token),
      }));
    return targets.map((target) => ({ uri: pathToFileURL(target.file).href, range: target.range }));
  });

  const valuesAt = async (
    document: TextDocument,
    line: number,
  ): Promise<Awaited<ReturnType<Workspace['valuesAssist']>>> => {
    const file = filePathOf(document.uri);
    return file ? workspace.valuesAssist(file, line) : undefined;
  };

  connection.onHover(async (params): Promise<Hover | null> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) {
      return null;
    }
    // A key of a chart's values: what its values.schema.json and values.yaml say of it.
    const values = await valuesAt(document, params.position.line);
    const valuesInfo = values
      ? valuesHoverIn(document.getText(), params.position, values)
      : undefined;
    if (valuesInfo) {
      return {
        contents: { kind: MarkupKind.Markdown, value: valuesInfo.markdown },
        ...(valuesInfo.range ? { range: valuesInfo.range } : {}),
      };
    }
    const registry = await validation.registry(await settings.get(document.uri));
    const info = registry ? hoverAt(document.getText(), params.position, registry) : undefined;
    if (!info) {
      return null;
    }
    return {
      contents: { kind: MarkupKind.Markdown, value: info.markdown },
      ...(info.range ? { range: info.range } : {}),
    };
  });

  connection.onCompletion(async (params): Promise<CompletionItem[]> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) {
      return [];
    }
    const values = await valuesAt(document, params.position.line);
    const valuesEntries = values
      ? valuesCompletionIn(document.getText(), params.position, values)
      : undefined;
    const registry = valuesEntries
      ? undefined
      : await validation.registry(await settings.get(document.uri));
    if (!valuesEntries && !registry) {
      return [];
    }
    const entries =
      valuesEntries ?? (registry ? completeAt(document.getText(), params.position, registry) : []);
    return entries.map((entry) => ({
      label: entry.label,
      kind: KINDS[entry.kind],
      insertText: entry.insertText,
      ...(entry.detail ? { detail: entry.detail } : {}),
      ...(entry.documentation
        ? { documentation: { kind: MarkupKind.Markdown, value: entry.documentation } }
        : {}),
      ...(entry.sortText ? { sortText: entry.sortText } : {}),
    }));
  });
}

/** The open documents' texts by file path. */
export function openTexts(documents: TextDocuments<TextDocument>): Map<string, string> {
  return new Map(
    documents.all().flatMap((doc) => {
      const docFile = filePathOf(doc.uri);
      return docFile ? [[docFile, doc.getText()] as const] : [];
    }),
  );
}
