import { isSystemIdentity, normaliseIdentity, sameIdentity } from '../../../../domain/shared/actor-identity';

describe('actor identity', () => {
  it('folds case, width and surrounding space into one identity', () => {
    expect(normaliseIdentity('  Alice ')).toBe('alice');
    expect(sameIdentity('Alice', 'alice')).toBe(true);
    expect(sameIdentity('ａｌｉｃｅ', 'alice')).toBe(true);
    expect(sameIdentity('alice', 'alicia')).toBe(false);
  });

  it('is idempotent', () => {
    for (const id of ['Alice', 'ＫＡＴＥ', 'ǅemal', 'İlker', 'straße']) {
      expect(normaliseIdentity(normaliseIdentity(id))).toBe(normaliseIdentity(id));
    }
  });

  it('recognises the reserved system namespace whatever the case', () => {
    expect(isSystemIdentity('aims:policy:auto-approval')).toBe(true);
    expect(isSystemIdentity('AIMS:lifecycle')).toBe(true);
    expect(isSystemIdentity('ａｉｍｓ:x')).toBe(true);
    expect(isSystemIdentity('aimsbot')).toBe(false);
  });
});
