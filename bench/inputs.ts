// Builds every generated input once per run, in a temp folder, and describes them for the measurement tasks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateBrief, writeOverlay, writeWorkspace, type PlacedMention } from './generate';
import { loadNameBook } from './names';
import { now, round } from './stats';

export const SEED = 20221025;

export interface Scale {
  briefChars: number;
  overlayEntities: number;
  workspaceBriefs: number;
  workspaceBriefChars: number;
}

export const FULL: Scale = { briefChars: 1_000_000, overlayEntities: 100_000, workspaceBriefs: 10_000, workspaceBriefChars: 5_000 };
export const QUICK: Scale = { briefChars: 200_000, overlayEntities: 10_000, workspaceBriefs: 1_000, workspaceBriefChars: 5_000 };

export interface WorkspaceInput {
  dir: string;
  count: number;
  chars: number;
  /** The brief that keystroke tests type into (the same text in every workspace). */
  firstPath: string;
  /** Line to type at the end of, and a mention to ask references for. */
  sentinel: PlacedMention;
  sentinelLineLength: number;
}

export interface Inputs {
  root: string;
  tmp: string;
  quick: boolean;
  scale: Scale;
  namesFromCorpus: boolean;
  brief: { path: string; chars: number; mentionCount: number; hoverTargets: PlacedMention[]; edit: { mention: PlacedMention; lineLength: number } };
  /** `probe`/`probeName`: the last generated entity, to tell when the whole overlay is in force. */
  overlay: { dir: string; files: string[]; chars: number; count: number; probe: string; probeName: string };
  workspace: WorkspaceInput;
  smallWorkspace: WorkspaceInput;
  generateMs: number;
}

export function buildInputs(root: string, tmp: string, quick: boolean): Inputs {
  const t0 = now();
  const scale = quick ? QUICK : FULL;
  const book = loadNameBook(root);
  mkdirSync(tmp, { recursive: true });

  const brief = generateBrief(book, { targetChars: scale.briefChars, seed: SEED, title: 'Generated 1 MB brief' });
  const briefDir = join(tmp, 'brief');
  mkdirSync(briefDir, { recursive: true });
  const briefPath = join(briefDir, 'big-brief.md');
  writeFileSync(briefPath, brief.text);
  // Hover targets spread over the whole document; the edit happens on a line in the middle.
  const step = Math.max(1, Math.floor(brief.mentions.length / 400));
  const hoverTargets = brief.mentions.filter((_, i) => i % step === 0).slice(0, 400);
  const mid = brief.mentions[brief.mentions.length >> 1]!;

  const overlayDir = join(tmp, 'overlay');
  mkdirSync(join(overlayDir, 'briefs'), { recursive: true });
  const overlay = writeOverlay(overlayDir, scale.overlayEntities, SEED);
  writeFileSync(join(overlayDir, 'briefs', 'draft.md'), '# Draft\n\nNotes on the round.\n\n');

  const ws = (name: string, count: number): WorkspaceInput => {
    const dir = join(tmp, name);
    const w = writeWorkspace(dir, book, count, scale.workspaceBriefChars, SEED + 1);
    const s = w.first.sentinel!;
    return { dir, count, chars: w.chars, firstPath: w.firstPath, sentinel: s, sentinelLineLength: w.first.lineLengths[s.line]! };
  };
  const workspace = ws('workspace-large', scale.workspaceBriefs);
  const smallWorkspace = ws('workspace-small', 10);

  const inputs: Inputs = {
    root, tmp, quick, scale, namesFromCorpus: book.fromCorpus,
    brief: { path: briefPath, chars: brief.text.length, mentionCount: brief.mentions.length, hoverTargets,
      edit: { mention: mid, lineLength: brief.lineLengths[mid.line]! } },
    overlay: { dir: overlayDir, files: overlay.files, chars: overlay.chars, count: scale.overlayEntities,
      probe: overlay.lastId, probeName: overlay.lastName },
    workspace, smallWorkspace,
    generateMs: 0,
  };
  inputs.generateMs = round(now() - t0, 0);
  writeFileSync(join(tmp, 'inputs.json'), JSON.stringify(inputs));
  return inputs;
}
