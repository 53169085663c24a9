import { describe, expect, it } from 'vitest';
import { change } from '../../../../nodes/core/change/runtime';
import { changeConfig } from '../../../../nodes/core/change/definition';
import { createRegistry } from '../../../../nodes/registry';
import { validateFlow } from '../../../../runtime/model';
import { flowOf } from '../../../helpers/flow';

const registry = createRegistry([change]);

function problems(rules: unknown) {
  const result = validateFlow(flowOf('f', [{ id: 'c', type: 'change', config: { rules } }]), registry);
  return result.problems.map((p) => ({ at: p.at, zh: p.message.zh, en: p.message.en }));
}

describe('change config', () => {
  it('fills defaults of scale rules', () => {
    expect(changeConfig.parse({ rules: [{ action: 'scale', path: 'payload' }] })).toEqual({ rules: [{ action: 'scale', path: 'payload', factor: 1, offset: 0 }] });
  });

  it('accepts every action on the paths it can work on', () => {
    expect(problems([
      { action: 'set', path: 'payload.a.b', value: { x: [1, null] } },
      { action: 'set', path: 'topic', value: 'a/b' },
      { action: 'set', path: 'quality', value: 'bad' },
      { action: 'set', path: 'ts', value: 0 },
      { action: 'copy', from: 'payload.name', to: 'quality' },
      { action: 'copy', from: 'quality', to: 'topic' },
      { action: 'copy', from: 'ts', to: 'payload.time' },
      { action: 'move', from: 'device', to: 'topic' },
      { action: 'delete', path: 'device' },
      { action: 'scale', path: 'ts', offset: 1000 },
      { action: 'convert', path: 'payload.x', to: 'boolean' },
      { action: 'convert', path: 'quality', to: 'string' },
    ])).toEqual([]);
  });

  it('needs at least one rule', () => {
    expect(problems([]).map((p) => p.at)).toEqual(['nodes[0].config.rules']);
  });

  it('rejects a path with an unknown root, naming the rule and field', () => {
    expect(problems([
      { action: 'set', path: 'payload.a', value: 1 },
      { action: 'delete', path: 'payload.b' },
      { action: 'set', path: 'msg.payload.temp', value: 1 },
    ])).toEqual([{
      at: 'nodes[0].config.rules[2].path',
      zh: '路径 “msg.payload.temp” 必须以 payload、topic、device、quality 或 ts 开头',
      en: 'path "msg.payload.temp" must start with payload, topic, device, quality or ts',
    }]);
  });

  it('rejects fields below a root that is not the payload, and empty field names', () => {
    expect(problems([
      { action: 'copy', from: 'topic.name', to: 'payload..x' },
    ])).toEqual([
      {
        at: 'nodes[0].config.rules[0].from',
        zh: '路径 “topic.name” 无效：topic 是文本，没有下级字段；只有 payload 可以继续向下',
        en: 'path "topic.name" is invalid: topic is text and has no fields; only payload paths go deeper',
      },
      { at: 'nodes[0].config.rules[0].to', zh: '路径 “payload..x” 中有空的字段名（多余的 “.”）', en: 'path "payload..x" has an empty field name (a stray ".")' },
    ]);
    expect(problems([{ action: 'delete', path: '' }])).toEqual([{ at: 'nodes[0].config.rules[0].path', zh: '路径不能为空', en: 'the path is empty' }]);
    expect(problems([{ action: 'set', path: 'payload.__proto__.x', value: 1 }]).map((p) => p.en)).toEqual(['path "payload.__proto__.x" must not contain __proto__']);
  });

  it('rejects literal values that a message field can never hold', () => {
    expect(problems([
      { action: 'set', path: 'topic', value: 5 },
      { action: 'set', path: 'quality', value: 'ok' },
      { action: 'set', path: 'ts', value: '2025-01-01' },
      { action: 'set', path: 'device', value: null },
    ])).toEqual([
      { at: 'nodes[0].config.rules[0].value', zh: 'topic 只能是文本，不能是数字 5', en: 'topic must be text, not the number 5' },
      { at: 'nodes[0].config.rules[1].value', zh: 'quality 只能是质量（good/bad/uncertain），不能是文本 "ok"', en: 'quality must be a quality (good/bad/uncertain), not the text "ok"' },
      { at: 'nodes[0].config.rules[2].value', zh: 'ts 只能是数字，不能是文本 "2025-01-01"', en: 'ts must be a number, not the text "2025-01-01"' },
      { at: 'nodes[0].config.rules[3].value', zh: 'device 只能是文本，不能是null', en: 'device must be text, not null' },
    ]);
  });

  it('requires a value for set', () => {
    expect(problems([{ action: 'set', path: 'payload.x' }])).toEqual([
      { at: 'nodes[0].config.rules[0].value', zh: '“设置”规则需要一个值', en: 'a "set" rule needs a value' },
    ]);
  });

  it('rejects copies, moves, deletes, scales and conversions that can never work', () => {
    expect(problems([
      { action: 'copy', from: 'ts', to: 'topic' },
      { action: 'move', from: 'quality', to: 'payload.q' },
      { action: 'delete', path: 'ts' },
      { action: 'scale', path: 'topic', factor: 2 },
      { action: 'convert', path: 'ts', to: 'string' },
    ])).toEqual([
      { at: 'nodes[0].config.rules[0].to', zh: 'topic 只能是文本，不能是数字', en: 'topic must be text, not a number' },
      { at: 'nodes[0].config.rules[1].from', zh: '不能移走 quality：每条消息都必须有 quality（可以改为设置它的值）', en: 'quality cannot be moved away: every message has one (set its value instead)' },
      { at: 'nodes[0].config.rules[2].path', zh: '不能删除 ts：每条消息都必须有 ts（可以改为设置它的值）', en: 'ts cannot be deleted: every message has one (set its value instead)' },
      { at: 'nodes[0].config.rules[3].path', zh: '不能缩放 topic：它是文本，不是数字', en: 'cannot scale topic: it is text, not a number' },
      { at: 'nodes[0].config.rules[4].to', zh: 'ts 只能是数字，不能转换为文本', en: 'ts must be a number; it cannot be converted to text' },
    ]);
  });

  it('rejects an unknown action and bad scale options', () => {
    const found = problems([{ action: 'rename', path: 'payload' }, { action: 'scale', path: 'payload', round: 1.5 }]);
    expect(found.map((p) => p.at)).toEqual(['nodes[0].config.rules[0].action', 'nodes[0].config.rules[1].round']);
  });
});
