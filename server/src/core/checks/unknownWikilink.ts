// unknown-wikilink: a [[wikilink]] that names no entity → "did you mean [[id]]", with up to three fixes that
// replace the target by the id of the nearest entities (by id, name or alias, through the same kind of index as
// near-miss names).
import type { CheckRule } from './context';
import type { Finding } from './types';
import { norm as normalize } from './context';
import { nearMissIndexes } from './nearMissIndex';
import { citeSuffix } from './citation';

export const UNKNOWN_WIKILINK = 'unknown-wikilink';

export const unknownWikilink: CheckRule = {
  codes: { [UNKNOWN_WIKILINK]: 'warning' },
  run(ctx) {
    const out: Finding[] = [];
    const indexes = nearMissIndexes(ctx.corpus);
    const lookups = new Map<string, ReturnType<typeof indexes.targets.lookup>>();
    const mentions = ctx.analysis.mentions;
    for (let k = 0; k < mentions.length; k++) {
      const m = mentions[k]!;
      if (m.form !== 'wikilink' || m.entityIds.length > 0) continue;
      const target = m.target ?? { start: m.start + 2, end: m.end - 2, text: ctx.text.slice(m.start + 2, m.end - 2) };
      const key = normalize(target.text);
      if (ctx.isIgnored(target.text)) continue;
      const ids: string[] = [];
      if (key) {
        let hits = lookups.get(key);
        if (!hits) lookups.set(key, (hits = indexes.targets.lookup(key, key.length <= 4 ? 1 : 2)));
        for (const h of hits) for (const v of h.values) if (!ids.includes(v.id) && ids.length < 3) ids.push(v.id);
      }
      const entities = ids.map((id) => ctx.entity(id)).filter((e) => e !== undefined);
      const first = entities[0];
      const suggestion = entities.map((e) => `[[${e.id}]] (${e.name})`).join(', ');
      out.push({
        start: m.start,
        end: m.end,
        code: UNKNOWN_WIKILINK,
        severity: 'warning',
        message: `No corpus entity is named “${target.text}”${first ? `; did you mean ${suggestion}?${citeSuffix(ctx.corpus, first.sources, first.name)}` : '.'}`,
        fixes: entities.map((e, i) => ({
          title: `Link to [[${e.id}]] (${e.name})`,
          edits: [{ start: target.start, end: target.end, newText: e.id }],
          isPreferred: i === 0 && entities.length === 1,
        })),
      });
    }
    return out;
  },
};
