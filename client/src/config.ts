// Typed access to the client-side settings. The server pulls its own settings (`jpmg.*`) per resource.
import * as vscode from 'vscode';

export type InsertStyle = 'wikilink' | 'markdownLink';

export function insertStyle(scope?: vscode.ConfigurationScope): InsertStyle {
  const value = vscode.workspace.getConfiguration('jpmg', scope).get<string>('insertStyle');
  return value === 'markdownLink' ? 'markdownLink' : 'wikilink';
}

/**
 * The text that refers to an entity in a brief. A wikilink keeps the writer's selected words as the shown text;
 * a Markdown link (portable to any renderer) shows the selection or the entity's name and points at `#id`.
 */
export function formatReference(entity: { id: string; name: string }, style: InsertStyle, selected = ''): string {
  const shown = selected.replace(/[\r\n]+/g, ' ').trim();
  if (style === 'markdownLink') {
    const text = (shown || entity.name).replace(/([\\[\]])/g, '\\$1');
    return `[${text}](#${entity.id})`;
  }
  return shown && shown !== entity.id ? `[[${entity.id}|${shown.replace(/[\]|]/g, '')}]]` : `[[${entity.id}]]`;
}
