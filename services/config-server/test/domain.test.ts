import { describe, expect, it } from 'vitest';
import { decryptSource } from '../src/domain/cipher.ts';
import { isSafeName, parseProfiles, sourceCandidates } from '../src/domain/property-sources.ts';

describe('precedence of config files', () => {
  const order = (app: string, profile: string, label?: string) =>
    sourceCandidates(app, parseProfiles(profile), label).map((c) =>
      c.folder ? `${c.folder}/${c.base}` : c.base,
    );

  it('puts profile files first (last profile highest), the label folder before the root, {app} before application', () => {
    expect(order('shop', 'dev, local', 'v2')).toEqual([
      'v2/shop-local',
      'v2/application-local',
      'v2/shop-dev',
      'v2/application-dev',
      'shop-local',
      'application-local',
      'shop-dev',
      'application-dev',
      'v2/shop',
      'v2/application',
      'shop',
      'application',
    ]);
  });

  it('lists application files once when the application is called application', () => {
    expect(order('application', 'default')).toEqual(['application-default', 'application']);
  });

  it('accepts only names that cannot leave the repository folder', () => {
    expect(['gateway', 'user-service', 'v1.2_rc', 'a..b'].every(isSafeName)).toBe(true);
    expect(['..', '.env', 'a/b', 'a\\b', '', 'a b'].some(isSafeName)).toBe(false);
  });
});

describe('decrypting a property source', () => {
  it('decrypts {cipher} values, marks the undecryptable ones as Spring does and keeps the rest', () => {
    const source = { plain: 'x', number: 3, good: '{cipher}ok', bad: '{cipher}broken' };
    const decrypt = (text: string) => (text === 'ok' ? 'secret' : undefined);
    expect(decryptSource(source, decrypt)).toEqual({
      plain: 'x',
      number: 3,
      good: 'secret',
      'invalid.bad': '<n/a>',
    });
  });
});
