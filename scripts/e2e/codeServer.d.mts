// Types for codeServer.mjs (plain JS so that `npm start` runs it with node alone; the e2e tests import it from TS).
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export const projectRoot: string;
export const codeServerHome: string;

export interface Profile {
  extensionsDir: string;
  userDataDir: string;
  configFile: string;
}

export interface RunningCodeServer {
  port: number;
  /** Workbench URL opening the workspace folder. */
  url: string;
  child: ChildProcess;
  output(): string;
  /** Ends code-server's process group (only the one this helper started). */
  stop(): void;
  exited: Promise<number | null>;
}

export function findChromium(): string | undefined;
export function findCodeServer(): string | undefined;
export function installCodeServer(log?: (line: string) => void): string;
export function prepareProfile(baseDir: string, extraSettings?: Record<string, unknown>): Profile;
export function installExtension(codeServer: string, vsix: string, profile: Profile): string;
export function freePort(): Promise<number>;
export function startCodeServer(
  codeServer: string,
  profile: Profile,
  workspace: string,
  options?: { port?: number; log?: (line: string) => void; inheritOutput?: boolean },
): Promise<RunningCodeServer>;
