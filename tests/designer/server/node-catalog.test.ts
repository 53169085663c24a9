import { afterEach, describe, expect, it } from 'vitest';
import type { RunningStudio } from './helpers';
import { startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('GET /api/nodes and /api/device-profiles', () => {
  it('lists every node type the studio knows with its README, and needs a session', async () => {
    const s = await startStudio();
    running.push(s);
    expect((await s.anonymous.api('GET', '/api/nodes')).status).toBe(401);
    const contractor = await s.user('zhangwei', 'contractor');
    const answer = await contractor.api('GET', '/api/nodes');
    expect(answer.status).toBe(200);
    const types = answer.body.nodes.map((n: { type: string }) => n.type);
    expect(types).toEqual([...types].sort());
    expect(types).toEqual(expect.arrayContaining(['rule', 'threshold-alarm', 'timer', 'history', 'modbus-read', 'device-list']));
    const alarm = answer.body.nodes.find((n: { type: string }) => n.type === 'threshold-alarm');
    expect(alarm).toMatchObject({ version: 1, category: 'alarm', title: { zh: '越限报警', en: 'Threshold alarm' } });
    expect(alarm.readme).toMatch(/^# /);
    // The test node of the helpers has no folder, so no help page.
    expect(answer.body.nodes.find((n: { type: string }) => n.type === 'device-list').readme).toBeNull();
  });

  it('lists the device profiles with their tags', async () => {
    const s = await startStudio();
    running.push(s);
    const answer = await s.admin.api('GET', '/api/device-profiles');
    expect(answer.status).toBe(200);
    const oven = answer.body.profiles.find((p: { id: string }) => p.id === 'test-oven');
    expect(oven.title.zh).toBeTruthy();
    expect(oven.tags.length).toBeGreaterThan(0);
    expect(oven.tags[0]).toMatchObject({ key: expect.any(String), label: { zh: expect.any(String), en: expect.any(String) }, access: expect.stringMatching(/^rw?$/) });
  });
});
