import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../../src/renderer/src/i18n/instance.ts';
import { reasonWords } from '../../../src/renderer/src/state/reason-words.ts';

afterEach(() => i18n.changeLanguage('en'));

describe('reasons the core records, in the UI language', () => {
  it('English keeps the core words; Swedish says the known ones in Swedish and never shows English', async () => {
    const reasons = [
      'entry forced by the user',
      'strategy entry (strength 0.42; stake capped by the cash left)',
      'stop_loss at 95.04 (-5.00% from entry 100.05)',
      'stopped from the dashboard',
      'something new the core says',
    ];
    expect(reasons.map(reasonWords)).toEqual([
      'entry forced by the user',
      'strategy entry (strength 0.42; stake capped by the cash left)',
      // the rule in words, not its code (stop_loss)
      'Stop-loss at 95.04 (-5.00% from entry 100.05)',
      'stopped from the dashboard',
      'something new the core says',
    ]);
    await i18n.changeLanguage('sv');
    expect(reasons.map(reasonWords)).toEqual([
      'köp tvingat av användaren',
      'strategins köp (styrka 0.42)',
      'Stoppgräns (detaljer i loggen)',
      'stoppad från översikten',
      'detaljer i loggen',
    ]);
  });
});
