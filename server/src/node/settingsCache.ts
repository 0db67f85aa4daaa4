// Settings per resource: pulled from the editor with `workspace/configuration` (section `jpmg`, scoped to the
// document's URI), merged with the workspace's `.jpmg/settings.json` by the shared `resolveSettings`, and cached
// by URI until the configuration changes. Settings never live in server globals.
import type { JpmgSettings } from '../protocol';
import { DEFAULT_SETTINGS } from '../protocol';
import { resolveSettings, type PartialSettings } from '../core/settings';

export interface SettingsSource {
  /** The editor's `jpmg` section for a resource, or undefined when the client cannot answer. */
  editorSettings(uri: string): Promise<unknown>;
  /** Text of the `.jpmg/settings.json` governing this resource, if any. */
  settingsFileText?(uri: string): string | undefined;
  log?(message: string): void;
}

export class SettingsCache {
  private readonly cache = new Map<string, Promise<JpmgSettings>>();

  constructor(private readonly source: SettingsSource) {}

  get(uri: string): Promise<JpmgSettings> {
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.fetch(uri);
      this.cache.set(uri, settings);
      if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value!);
    }
    return settings;
  }

  /** Forget everything (didChangeConfiguration, a settings file changed). */
  clear(): void {
    this.cache.clear();
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  private async fetch(uri: string): Promise<JpmgSettings> {
    let editor: PartialSettings | undefined;
    try {
      const value = await this.source.editorSettings(uri);
      if (value && typeof value === 'object') editor = value as PartialSettings;
    } catch (e) {
      this.source.log?.(`settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    let fileText: string | undefined;
    try {
      fileText = this.source.settingsFileText?.(uri);
    } catch {
      fileText = undefined;
    }
    try {
      return resolveSettings({ editor, fileText }).settings;
    } catch (e) {
      this.source.log?.(`settings: ${e instanceof Error ? e.message : String(e)}`);
      return DEFAULT_SETTINGS;
    }
  }
}
