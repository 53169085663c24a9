import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateDeviceProfile } from '../../../runtime/model/device-profile';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/profiles/${name}.json`, import.meta.url), 'utf8'));
const problemsOf = (name: string) => {
  const r = validateDeviceProfile(fixture(name));
  expect(r.ok).toBe(false);
  return r.problems.map((p) => ({ at: p.at, code: p.code, en: p.message.en, zh: p.message.zh }));
};

describe('device profile validation', () => {
  it('rejects overlapping tags, naming both, but allows bits over a whole register', () => {
    const p = problemsOf('overlapping');
    expect(p.map((x) => `${x.at} ${x.code}`)).toEqual([
      'tags[1].address overlapping-tags',
      'tags[5].bit overlapping-tags',
      'tags[7].address overlapping-tags',
    ]);
    expect(p[0]!.en).toBe('tag "b" overlaps tags[0] ("a") at protocol address 11');
    expect(p[0]!.zh).toContain('占用相同的寄存器');
    expect(p[1]!.en).toBe('tag "fault_again" is the same bit as tags[4] ("fault"): register 20, bit 1');
    expect(p[2]!.en).toBe('tag "d" overlaps tags[6] ("c") at protocol address 33');
  });

  it('rejects addresses beyond 65535 or below the base, and values wider than a request', () => {
    const p = problemsOf('out-of-range');
    expect(p.map((x) => `${x.at} ${x.code}`)).toEqual([
      'tags[1].address address-out-of-range',
      'tags[2].address address-out-of-range',
      'tags[3].address address-out-of-range',
      'tags[4].length profile-shape',
    ]);
    expect(p[0]!.en).toBe('address out of range: protocol address 65534–65537 is beyond 65535');
    expect(p[1]!.en).toBe('address out of range: protocol address 69999 is beyond 65535');
    expect(p[1]!.zh).toBe('地址超出范围：协议地址 69999 超过 65535');
    expect(p[2]!.en).toBe('address 0 is below the first address 1 (addressBase)');
    expect(p[2]!.zh).toBe('地址 0 小于起始地址 1（addressBase）');
    expect(p[3]!.en).toMatch(/250/);
  });

  it('rejects unknown types with a suggestion, in both languages', () => {
    const p = problemsOf('unknown-type');
    expect(p.map((x) => `${x.at} ${x.code}`)).toEqual(['tags[0].type unknown-tag-type', 'tags[2].type unknown-tag-type']);
    expect(p[0]!.en).toMatch(/^unknown type "flaot32"; did you mean "float32"\?/);
    expect(p[0]!.zh).toMatch(/^未知的数据类型 “flaot32”，是否指 “float32”？/);
    expect(p[1]!.en).toMatch(/^unknown type "double"/);
  });

  it('rejects types that do not fit their area, bits and strings without their details', () => {
    const p = problemsOf('misfit');
    expect(p.map((x) => `${x.at} ${x.code}`)).toEqual([
      'tags[0].type type-area-mismatch',
      'tags[1].bit bit-not-allowed',
      'tags[2].bit bit-required',
      'tags[3].length string-length-required',
      'tags[4].access read-only-area',
      'tags[5].min range-inverted',
      'tags[6].length length-not-allowed',
    ]);
    expect(p[1]!.en).toBe('bit picks a bit of a register (input, holding); a coil is a single bit already');
    expect(p[3]!.zh).toBe('string 类型必须给出 length（字节数，每个寄存器 2 字节）');
  });

  it('reads 4xxxx notation and says when a digit names another area', () => {
    const p = problemsOf('modicon');
    expect(p.map((x) => `${x.at} ${x.code}`)).toEqual(['tags[2].address address-out-of-range']);
    expect(p[0]!.en).toBe("address 30001 is a input address in 3xxxx notation, but the tag's area is holding (4xxxx)");
    const fixed = fixture('modicon') as { tags: unknown[] };
    fixed.tags.splice(2, 1);
    const ok = validateDeviceProfile(fixed);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.tags.map((t) => `${t.tag.key}@${t.start}`)).toEqual(['ok@0', 'ok6@9', 'coil@16']);
  });

  it('puts problems under a base path when the profile sits inside another document', () => {
    const r = validateDeviceProfile(fixture('unknown-type'), ['devices', 2, 'profile']);
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.at).toBe('devices[2].profile.tags[0].type');
  });

  it('requires addressBase to be stated, and reports unknown fields', () => {
    const raw = fixture('modicon') as { defaults: Record<string, unknown>; tags: Record<string, unknown>[] };
    delete raw.defaults.addressBase;
    raw.tags[0]!.adress = 1;
    const r = validateDeviceProfile(raw);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.at)).toEqual(expect.arrayContaining(['defaults.addressBase', 'tags[0]']));
  });
});
