import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../../runtime/bundle/keys';
import { bundleCommand } from '../../../runtime/cli/bundle-command';
import { copySampleCommand } from '../../../runtime/cli/copy-sample-command';

const fixture = (name: string) => new URL(`../../fixtures/copy-sample/${name}`, import.meta.url).pathname;

function run(firm: string, o: Partial<Parameters<typeof copySampleCommand>[1]> & { out: string }) {
  const lines: string[] = [];
  const code = copySampleCommand(firm, { enterprise: '绍兴某织造厂', site: 'shaoxing-1', lang: 'en', ...o }, (l) => lines.push(l));
  return { code, lines };
}

describe('kaiwu copy-sample', () => {
  it('copies the weaving sample firm with 40 looms from a CSV into an instance that bundles for its site', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaiwu-copy-'));
    const out = join(dir, 'instance.json');
    const { code, lines } = run('weaving-sample', { out, devices: fixture('shaoxing-mill.csv'), set: ['ratedSpeed=650'] });
    expect(code, lines.join('\n')).toBe(0);
    expect(lines[0]).toBe(`wrote ${out}: 绍兴某织造厂, site shaoxing-1, weaving-waterjet@1.2.0, X scenarios energy-per-metre, devices looms × 40, meters × 1`);
    const instance = JSON.parse(readFileSync(out, 'utf8'));
    expect(instance.parameters.ratedSpeed).toBe(650);

    const key = join(dir, 'studio.key');
    writeFileSync(key, generateSigningKeys().privatePem);
    const bundleLines: string[] = [];
    expect(bundleCommand(out, { site: 'shaoxing-1', sequence: 1, key, out: join(dir, 'bundle.json'), lang: 'en' }, (l) => bundleLines.push(l)), bundleLines.join('\n')).toBe(0);
    const bundle = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')).bundle;
    expect(bundle.devices.find((g: { group: string }) => g.group === 'looms').entries).toHaveLength(40);
  });

  it('names the CSV file and line of a bad address, and writes nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kaiwu-copy-')), 'instance.json');
    const { code, lines } = run('weaving-sample', { out, devices: fixture('bad-address.csv'), deviceGroup: 'looms' });
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${fixture('bad-address.csv')}: error CSV line 3, column "host": "192.168.10.300" is not a valid IPv4 address ("300" is not 0 to 255) [invalid-address]`,
      'there are errors: no instance written',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('says which --set value is out of range', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kaiwu-copy-')), 'instance.json');
    const { code, lines } = run('weaving-sample', { out, set: ['efficiencyTarget=1.5'] });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^error --set efficiencyTarget=1\.5: parameter "efficiencyTarget" .* must be at most 1, got 1\.5 \[invalid-parameter\]$/);
  });

  it('blames the option, not the sample, for a bad site id or an unknown scenario', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kaiwu-copy-')), 'instance.json');
    expect(run('weaving-sample', { out, site: 'Shaoxing 1' }).lines[0]).toMatch(/^error --site Shaoxing 1 \(site\): expected an id of letters, digits/);
    expect(run('weaving-sample', { out, scenarios: 'energy' }).lines[0]).toBe('error --scenarios energy (scenarios[0]): the template has no scenario "energy" (optional ones: energy-per-metre) [unknown-scenario]');
    expect(existsSync(out)).toBe(false);
  });

  it('does not overwrite an existing file unless asked', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kaiwu-copy-')), 'instance.json');
    writeFileSync(out, 'precious');
    expect(run('imm-sample', { out }).code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(run('imm-sample', { out, force: true }).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).template).toMatch(/^injection-moulding@/);
  });

  it('lists the shipped sample firms when the name is unknown', () => {
    const { code, lines } = run('weaving', { out: join(tmpdir(), 'never.json') });
    expect(code).toBe(1);
    expect(lines[0]).toBe('no sample firm "weaving" (shipped samples: imm-sample, valve-sample, weaving-sample; or give an instance file or its folder)');
  });
});
