import { STANDALONE_DEFAULT_PORT, STANDALONE_PORT_VARIABLE, standalonePort } from '../src/standalone-port';

// Local mode (`npm start`) runs its in-process emulator on STRIPE_EMULATOR_PORT, 12111 unless set.
const LOCAL_MODE_DEFAULT_PORT = 12111;

describe('the standalone emulator: its port', () => {
  it('defaults to 12112, beside local mode’s 12111, and ignores local mode’s own variable', () => {
    expect(standalonePort([], {})).toBe(12112);
    expect(STANDALONE_DEFAULT_PORT).not.toBe(LOCAL_MODE_DEFAULT_PORT);
    expect(standalonePort([], { STRIPE_EMULATOR_PORT: String(LOCAL_MODE_DEFAULT_PORT) })).toBe(12112);
  });

  it('takes STRIPE_EMULATOR_STANDALONE_PORT, and --port over it', () => {
    expect(STANDALONE_PORT_VARIABLE).toBe('STRIPE_EMULATOR_STANDALONE_PORT');
    expect(standalonePort([], { STRIPE_EMULATOR_STANDALONE_PORT: '13000' })).toBe(13000);
    expect(standalonePort(['--port', '14000'], { STRIPE_EMULATOR_STANDALONE_PORT: '13000' })).toBe(14000);
    expect(standalonePort(['--port', '0'], {})).toBe(0);
    expect(standalonePort([], { STRIPE_EMULATOR_STANDALONE_PORT: '' })).toBe(12112);
  });

  it('refuses what is not a port, naming where it came from', () => {
    expect(() => standalonePort(['--port', 'abc'], {})).toThrow('--port must be a port number from 0 to 65535, not abc');
    expect(() => standalonePort(['--port'], {})).toThrow('--port must be a port number from 0 to 65535, not nothing');
    expect(() => standalonePort([], { STRIPE_EMULATOR_STANDALONE_PORT: '70000' })).toThrow(/^STRIPE_EMULATOR_STANDALONE_PORT must be/);
  });
});
