// The Node-RED side of the uplink benchmark: Node-RED's own core MQTT nodes (no extra package),
// the flow a Node-RED user would wire to send 10 devices' readings every 10 ms to a broker.
//
// Node-RED has no store-and-forward: its mqtt out node holds messages in memory while the broker
// is away and loses them on a restart. So it takes part in the steady uplink only, not in the
// backlog drain (which has nothing to compare against on its side).

type NodeRedNode = Record<string, unknown> & { id: string };

export interface MqttUplinkFlowOptions {
  /** Broker port on 127.0.0.1. */
  readonly port: number;
  readonly devices: number;
  /** The inject node's repeat, seconds (0.01 = every 10 ms). */
  readonly repeatS: number;
  /** Client id of the broker connection; with a persistent session like ours. */
  readonly clientId: string;
}

/**
 * inject (repeat) → function (one message per device, a body shaped like ours: id, stream,
 * granularity, device, tag, ts, value, quality) → mqtt out (QoS 1, topic from msg.topic).
 */
export function mqttUplinkFlow(o: MqttUplinkFlowOptions): NodeRedNode[] {
  const tab = { id: 'up', type: 'tab', label: 'uplink' };
  const func = [
    "const n = (context.get('n') || 0) + 1;",
    "context.set('n', n);",
    'const out = [];',
    'const ts = Date.now();',
    `for (let d = 0; d < ${o.devices}; d++) {`,
    "  const device = 'm' + d;",
    `  const id = 'nodered:cloud:' + ((n - 1) * ${o.devices} + d + 1);`,
    "  out.push({ topic: 'kaiwu/nodered/' + device + '/kwh', payload: { id, stream: d < " + Math.ceil(o.devices / 2) + " ? 'line-a' : 'line-b', granularity: 'raw', device, tag: 'kwh', ts, value: n, quality: 'good' } });",
    '}',
    'return [out];',
  ].join('\n');
  return [
    tab,
    {
      id: 'broker',
      type: 'mqtt-broker',
      name: 'local',
      broker: '127.0.0.1',
      port: String(o.port),
      clientid: o.clientId,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '30',
      cleansession: false,
      autoUnsubscribe: true,
      birthTopic: '',
      birthQos: '0',
      birthRetain: 'false',
      birthPayload: '',
      birthMsg: {},
      closeTopic: '',
      closeQos: '0',
      closeRetain: 'false',
      closePayload: '',
      closeMsg: {},
      willTopic: '',
      willQos: '0',
      willRetain: 'false',
      willPayload: '',
      willMsg: {},
      userProps: '',
      sessionExpiry: '',
    },
    {
      id: 'tick',
      type: 'inject',
      z: tab.id,
      name: 'tick',
      props: [{ p: 'payload' }],
      repeat: String(o.repeatS),
      crontab: '',
      once: true,
      onceDelay: '0.1',
      topic: '',
      payload: '',
      payloadType: 'date',
      wires: [['make']],
    },
    {
      id: 'make',
      type: 'function',
      z: tab.id,
      name: 'readings',
      func,
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      wires: [['out']],
    },
    {
      id: 'out',
      type: 'mqtt out',
      z: tab.id,
      name: 'uplink',
      topic: '',
      qos: '1',
      retain: 'false',
      respTopic: '',
      contentType: '',
      userProps: '',
      correl: '',
      expiry: '',
      broker: 'broker',
      wires: [],
    },
  ];
}
