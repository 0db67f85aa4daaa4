// preferred-term: a variant name the corpus marks as discouraged (a place named two ways, an outdated name)
// → a hint with the preferred term and a fix that swaps it in. Hint severity by default; settable per rule.
import type { CheckRule } from './context';
import type { Finding } from './types';
import { aliasEntryOf, norm as normalize } from './context';
import { aliasCitations, citeSuffix } from './citation';

export const PREFERRED_TERM = 'preferred-term';

export const preferredTerm: CheckRule = {
  codes: { [PREFERRED_TERM]: 'hint' },
  run(ctx) {
    const out: Finding[] = [];
    const mentions = ctx.analysis.mentions;
    const entryOf = aliasEntryOf; // (read once: unbundled, each use of an imported binding calls two export getters)
    for (let k = 0; k < mentions.length; k++) {
      const m = mentions[k]!;
      if (m.form !== 'plain') continue;
      const entry = entryOf(ctx.corpus, m.matched);
      if (!entry?.discouraged) continue;
      const written = ctx.text.slice(m.start, m.end);
      const preferred = entry.discouraged.preferred;
      if (!preferred || normalize(preferred) === normalize(written) || ctx.isIgnored(written)) continue;
      const entity = ctx.entity(entry.entityIds[0] ?? '');
      const cite = entity ? citeSuffix(ctx.corpus, aliasCitations(entity, entry.text), entry.text) : '';
      out.push({
        start: m.start,
        end: m.end,
        code: PREFERRED_TERM,
        severity: 'hint',
        message: `Prefer “${preferred}” to “${written}”${entity ? ` for ${entity.name}` : ''}.${cite}`,
        fixes: [{ title: `Replace with “${preferred}”`, edits: [{ start: m.start, end: m.end, newText: preferred }], isPreferred: true }],
      });
    }
    return out;
  },
};
