import { describe, expect, it } from 'vitest';
import { BotConfig, RiskConfig } from '../../../src/core/api/schemas.ts';
import {
  exitFormOf,
  parseRoi,
  readExitForm,
  type ExitForm,
} from '../../../src/renderer/src/state/exit-form.ts';

const empty = (): ExitForm => exitFormOf(BotConfig.parse({}).risk);

describe('exit rules form', () => {
  it('shows rules that are off as empty fields and reads them back as absent', () => {
    const form = empty();
    expect(form).toMatchObject({
      stopLossPct: '',
      roi: '',
      maxDrawdownPct: '',
      sizing: 'equity_fraction',
    });
    expect(readExitForm(form)).toEqual({ rules: { sizing: 'equity_fraction' }, errors: {} });
  });

  it('turns percentages and minutes into the RiskConfig the core validates, and back', () => {
    const form: ExitForm = {
      ...empty(),
      stopLossPct: '2',
      takeProfitPct: '5,5',
      trailingStopPct: '1.5',
      trailingActivationPct: '1',
      roi: '30:2, 0:5 ; 120:0',
      maxHoldMinutes: '240',
      cooldownMinutes: '15',
      sizing: 'risk_per_trade',
      riskPerTradePct: '1',
      maxExposurePerSymbolPct: '20',
      maxTotalExposurePct: '60',
      maxDrawdownPct: '10',
    };
    const read = readExitForm(form);
    expect(read.errors).toEqual({});
    expect(read.rules).toEqual({
      stopLoss: 0.02,
      takeProfit: 0.055,
      trailingStop: 0.015,
      trailingActivation: 0.01,
      roi: [
        { afterMinutes: 0, minReturn: 0.05 },
        { afterMinutes: 30, minReturn: 0.02 },
        { afterMinutes: 120, minReturn: 0 },
      ],
      maxHoldMinutes: 240,
      cooldownMinutes: 15,
      sizing: 'risk_per_trade',
      riskPerTrade: 0.01,
      maxExposurePerSymbol: 0.2,
      maxTotalExposure: 0.6,
      maxDrawdown: 0.1,
    });
    const config = RiskConfig.parse({ ...BotConfig.parse({}).risk, ...read.rules });
    expect(exitFormOf(config)).toEqual({ ...form, takeProfitPct: '5.5', roi: '0:5, 30:2, 120:0' });
  });

  it('refuses text and out-of-range values in plain words, naming the settings path', () => {
    const read = readExitForm({
      ...empty(),
      stopLossPct: 'two',
      trailingStopPct: '100',
      maxHoldMinutes: '0',
      maxDrawdownPct: '-5',
      maxExposurePerSymbolPct: '150',
    });
    expect(read.errors).toEqual({
      'bot.risk.stopLoss': 'enter a number, or leave it empty for off',
      'bot.risk.trailingStop': 'must be above 0 and below 100%',
      'bot.risk.maxHoldMinutes': 'must be more than 0 minutes',
      'bot.risk.maxDrawdown': 'must be above 0 and below 100%',
      'bot.risk.maxExposurePerSymbol': 'must be above 0 and at most 100%',
    });
  });

  it('checks the rules that need another field', () => {
    expect(readExitForm({ ...empty(), sizing: 'fixed_quote' }).errors).toEqual({
      'bot.risk.stakeAmount': 'fixed amount sizing needs an amount per entry',
    });
    expect(readExitForm({ ...empty(), sizing: 'risk_per_trade' }).errors).toEqual({
      'bot.risk.riskPerTrade': 'risk per trade sizing needs the share of equity to risk',
      'bot.risk.stopLoss': 'risk per trade sizing needs a stop-loss',
    });
    expect(readExitForm({ ...empty(), trailingActivationPct: '2' }).errors).toEqual({
      'bot.risk.trailingActivation': 'set a trailing stop first, or clear this field',
    });
    expect(readExitForm({ ...empty(), sizing: 'fixed_quote', stakeAmount: '250' }).rules).toEqual({
      sizing: 'fixed_quote',
      stakeAmount: 250,
    });
  });

  it('reads the ROI table or says which step is wrong', () => {
    expect(parseRoi('')).toEqual({ steps: undefined });
    expect(parseRoi('0:-100')).toEqual({ steps: [{ afterMinutes: 0, minReturn: -1 }] });
    expect(parseRoi('10:2%')).toEqual({ steps: [{ afterMinutes: 10, minReturn: 0.02 }] });
    expect(parseRoi('ten:2').error).toBe('"ten:2" is not minutes:percent, e.g. 30:2');
    expect(parseRoi('10:2, 10:1').error).toBe('10 minutes is listed twice');
    expect(parseRoi('0:-150').error).toBe('"0:-150": the return must be -100% or more');
    expect(readExitForm({ ...empty(), roi: '5' }).errors).toEqual({
      'bot.risk.roi': '"5" is not minutes:percent, e.g. 30:2',
    });
  });
});
