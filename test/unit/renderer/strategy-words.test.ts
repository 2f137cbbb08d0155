import { describe, expect, it } from 'vitest';
import { listStrategies } from '../../../src/core/strategy/registry.ts';
import { enStrategies } from '../../../src/renderer/src/i18n/en-strategies.ts';

describe("the built-in strategies' words in the catalogue", () => {
  it('say what the core says, for every built-in and every parameter (so a translation has a source that cannot drift)', async () => {
    const builtins = (await listStrategies()).filter((s) => s.origin === 'builtin');
    const words = enStrategies.builtin as Record<
      string,
      { name: string; description: string; params: Record<string, string> }
    >;
    expect(Object.keys(words).sort()).toEqual(builtins.map((s) => s.id).sort());
    for (const s of builtins) {
      const props = (s.paramsSchema.properties ?? {}) as Record<string, { description?: string }>;
      expect(words[s.id], s.id).toEqual({
        name: s.name,
        description: s.description,
        params: Object.fromEntries(
          Object.entries(props).map(([name, p]) => [name, p.description ?? '']),
        ),
      });
    }
  });
});
