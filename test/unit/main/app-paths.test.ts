import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trayIconPath, userDataDir } from '../../../src/main/app-paths.ts';

describe('desktop app paths', () => {
  it('keeps data in <appData>/BotDesk (the README), or in $BOTDESK_USER_DATA_DIR when set', () => {
    expect(userDataDir({}, '/home/t/.config')).toBe(join('/home/t/.config', 'BotDesk'));
    expect(userDataDir({ BOTDESK_USER_DATA_DIR: '' }, '/home/t/.config')).toBe(
      join('/home/t/.config', 'BotDesk'),
    );
    expect(userDataDir({ BOTDESK_USER_DATA_DIR: '/tmp/run-1' }, '/home/t/.config')).toBe(
      '/tmp/run-1',
    );
  });

  it('gives Linux panels the 32 px tray drawing and other systems the 16 px one', () => {
    expect(trayIconPath('running', 'linux')).toMatch(/tray-running-32\.png$/);
    expect(trayIconPath('running', 'darwin')).toMatch(/tray-running\.png$/);
  });
});
