// One codicon per entity kind, shared by the trees and the quick picks.
import * as vscode from 'vscode';

const KIND_ICONS: Record<string, string> = {
  year: 'calendar',
  meeting: 'comment-discussion',
  participant: 'person',
  person: 'person',
  organisation: 'organization',
  agreement: 'law',
  topic: 'tag',
  place: 'location',
  source: 'quote',
  group: 'list-tree',
};

export function kindIcon(kind: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(KIND_ICONS[kind] ?? 'symbol-misc');
}
