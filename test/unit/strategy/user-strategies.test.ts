import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareStrategy } from '../../../src/core/strategy/definition.ts';
import { BUILTIN_STRATEGIES, listStrategies } from '../../../src/core/strategy/registry.ts';
import { loadUserStrategies } from '../../../src/core/strategy/user-strategies.ts';
import { randomWalk } from '../../fixtures/strategies/candles.ts';

const fixtures = join(import.meta.dirname, '../../fixtures/strategies');
const shipped = join(import.meta.dirname, '../../../resources/strategies');
const reserved = new Set(BUILTIN_STRATEGIES.map((d) => d.id));

/** A minimal valid user strategy whose description is the given JavaScript expression. */
const probe = (description: string) =>
  `export default ({ z }) => ({ id: 'probe', name: 'probe', description: String(${description}), params: z.object({}), indicators: [], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: {} }) }) });`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'botdesk-user-strategies-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('user strategy files', () => {
  it('loads a valid file (the shipped example) and runs it', async () => {
    copyFileSync(join(shipped, 'example-momentum.mjs'), join(dir, 'example-momentum.mjs'));
    const { definitions, infos } = await loadUserStrategies(dir, reserved);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ id: 'example-momentum', origin: 'user', warmup: 14 });
    expect(infos[0]!.error).toBeUndefined();
    expect(infos[0]!.paramsSchema).toMatchObject({
      properties: { period: { default: 12, minimum: 2 }, threshold: { default: 1 } },
    });
    const { instance } = prepareStrategy(definitions[0]!, {});
    const actions = randomWalk(400, 3).map((c) => instance.update(c).action);
    expect(actions).toContain('enter_long');
    expect(actions).toContain('exit');
  });

  it('the template is a valid strategy too', async () => {
    copyFileSync(join(shipped, 'template.mjs'), join(dir, 'template.mjs'));
    const { infos } = await loadUserStrategies(dir, reserved);
    expect(infos).toEqual([expect.objectContaining({ id: 'my-strategy', origin: 'user' })]);
    expect(infos[0]!.error).toBeUndefined();
  });

  it('reports a syntax error with the file name (loaded by a real worker: Node, not the test runner, parses it)', async () => {
    copyFileSync(join(fixtures, 'syntax-error.mjs'), join(dir, 'syntax-error.mjs'));
    const user = (await listStrategies(dir)).filter((i) => i.origin === 'user');
    expect(user).toEqual([expect.objectContaining({ id: 'syntax-error', paramsSchema: {} })]);
    expect(user[0]!.error).toBe(
      "syntax-error.mjs: syntax error: Unexpected identifier 'description'",
    );
  });

  it('reports a module exporting the wrong shape, field by field', async () => {
    copyFileSync(join(fixtures, 'wrong-shape.mjs'), join(dir, 'wrong-shape.mjs'));
    const { definitions, infos } = await loadUserStrategies(dir, reserved);
    expect(definitions).toEqual([]);
    expect(infos[0]!.error).toContain('wrong-shape.mjs: not a strategy definition');
    expect(infos[0]!.error).toContain('params: params must be a zod object schema');
    expect(infos[0]!.error).toContain('create: create must be a function');
  });

  it('rejects built-in ids, duplicate ids, missing defaults, a missing default export and TypeScript sources; ignores other files', async () => {
    const def = (id: string, params = 'z.object({})') =>
      `export default ({ z }) => ({ id: '${id}', name: 'x', description: '', params: ${params}, indicators: [], warmup: () => 0, create: () => ({ update: () => ({ action: 'hold', strength: 0, indicators: {} }) }) });\n`;
    writeFileSync(join(dir, 'a-clash.mjs'), def('sma-crossover'));
    writeFileSync(join(dir, 'b-first.mjs'), def('twin'));
    writeFileSync(join(dir, 'c-second.js'), def('twin'));
    writeFileSync(
      join(dir, 'd-no-default.mjs'),
      def('nodefault', 'z.object({ period: z.number() })'),
    );
    writeFileSync(join(dir, 'e-named.mjs'), 'export const strategy = 1;\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a strategy');
    writeFileSync(join(dir, 'f-typed.ts'), 'export default {};\n');
    writeFileSync(join(dir, 'f-typed.d.ts'), 'export {};\n');
    // A source whose compiled file sits beside it is not reported.
    writeFileSync(join(dir, 'b-first.ts'), 'export default {};\n');
    const { definitions, infos } = await loadUserStrategies(dir, reserved);
    expect(definitions.map((d) => d.id)).toEqual(['twin']);
    expect(infos.map((i) => i.error ?? 'ok')).toEqual([
      "a-clash.mjs: id 'sma-crossover' is taken by a built-in strategy",
      'ok',
      "c-second.js: id 'twin' is already defined by b-first.mjs",
      'd-no-default.mjs: every parameter needs a default (params.parse({}) failed)',
      'e-named.mjs: no default export (export default { id, name, ... } or a function returning it)',
      'f-typed.ts: TypeScript is not loaded: compile it to an ES module .js file (tsc --module nodenext, or esbuild --format=esm) and put that here',
    ]);
  });

  it('a missing folder means no user strategies', async () => {
    expect(await loadUserStrategies(join(dir, 'nope'), reserved)).toEqual({
      definitions: [],
      infos: [],
    });
  });

  it('listStrategies describes user files in a worker process, never in this one', async () => {
    copyFileSync(join(shipped, 'example-momentum.mjs'), join(dir, 'example-momentum.mjs'));
    copyFileSync(join(fixtures, 'wrong-shape.mjs'), join(dir, 'wrong-shape.mjs'));
    writeFileSync(join(dir, 'probe.mjs'), `${probe('process.pid')}\n`);
    const infos = await listStrategies(dir);
    expect(infos.slice(0, BUILTIN_STRATEGIES.length).every((i) => i.origin === 'builtin')).toBe(
      true,
    );
    const user = infos.slice(BUILTIN_STRATEGIES.length);
    expect(user.map((i) => [i.id, i.error === undefined])).toEqual([
      ['example-momentum', true],
      ['probe', true],
      ['wrong-shape', false],
    ]);
    const loader = Number(user[1]!.description);
    expect(loader).toBeGreaterThan(0);
    expect(loader).not.toBe(process.pid);
  });

  it('user code in a headless worker cannot read the data folder around it, nor write anywhere', async () => {
    const strategies = join(dir, 'strategies');
    mkdirSync(strategies);
    writeFileSync(join(dir, 'settings.json'), '{"secret": "do not read"}');
    writeFileSync(
      join(strategies, 'probe.mjs'),
      [
        "import { readFileSync, writeFileSync } from 'node:fs';",
        'const attempt = (f) => { try { f(); return "allowed"; } catch (e) { return e.code; } };',
        `const read = attempt(() => readFileSync(${JSON.stringify(join(dir, 'settings.json'))}));`,
        `const write = attempt(() => writeFileSync(${JSON.stringify(join(strategies, 'out.txt'))}, 'x'));`,
        probe('`${read} ${write}`'),
      ].join('\n'),
    );
    const user = (await listStrategies(strategies)).filter((i) => i.origin === 'user');
    expect(user.map((i) => i.description)).toEqual(['ERR_ACCESS_DENIED ERR_ACCESS_DENIED']);
  });

  it('only the compute worker entry loads user files: no other module imports the loader (type imports aside)', () => {
    const src = join(import.meta.dirname, '../../../src');
    const importers = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f))
      .filter((f) =>
        /^import (?!type )[^;]*from '[./]*(strategy\/)?user-strategies\.ts'/m.test(
          readFileSync(join(src, f), 'utf8'),
        ),
      )
      .map((f) => relative(src, join(src, f)));
    expect(importers).toEqual([join('core', 'compute', 'worker-entry.ts')]);
  });
});
