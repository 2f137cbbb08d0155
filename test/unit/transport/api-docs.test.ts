import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS } from '../../../src/core/api/channels.ts';
import { ERROR_CODES } from '../../../src/core/api/errors.ts';
import { API_DOCS_PATH, renderApiDocs } from '../../../scripts/gen-api-docs.ts';

describe('docs/API.md', () => {
  const generated = renderApiDocs();

  it('is up to date with the contract (run `npm run docs:api` to refresh it)', () => {
    expect(readFileSync(API_DOCS_PATH, 'utf8')).toBe(generated);
  });

  it('documents every channel, event and error code', () => {
    for (const channel of CHANNELS) expect(generated).toContain(`### \`${channel}\``);
    for (const event of EVENTS) expect(generated).toContain(`| \`${event}\` |`);
    for (const code of ERROR_CODES) expect(generated).toContain(`\`${code}\``);
  });

  it('derives payload shapes from the schemas (bounds and defaults included)', () => {
    expect(generated).toContain('timeoutMs?: integer (0..120000) = 5000');
    expect(generated).toContain('symbol: Symbol');
    expect(generated).toMatch(/### BotStatus\n\n```ts\n\{\n {2}state: BotStateName/);
  });
});
