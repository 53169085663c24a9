/**
 * The JavaScript that runs inside each QuickJS sandbox before the rule: it decodes a batch,
 * calls the rule once per message, validates and encodes what the rule returns, and keeps
 * the rule's state. It captures the builtins it needs first, so a rule that overwrites them
 * can only break itself. The host drives it through the object this expression returns.
 */
export const GUEST_DRIVER = String.raw`(function () {
  'use strict';
  const parse = JSON.parse, stringify = JSON.stringify, now = Date.now, isArray = Array.isArray;
  const keys = Object.keys, freeze = Object.freeze, String_ = String, isFinite_ = isFinite, F64 = Float64Array;
  const QUALITY = ['good', 'bad', 'uncertain'];
  const MAX_LOGS = 50, MAX_LOG_TEXT = 1000;
  let rule = null, ports = [], portIndex = {}, state = {}, lastState = '{}', sliceMs = 5;
  let b = null, inputPayloads = null, outputPayloads = null;
  let oS, oP, oY, oX, fails, logs, logsDropped, progress = 0;

  function text(v) {
    if (typeof v === 'string') return v;
    try { const s = stringify(v); return s === undefined ? String_(v) : s; } catch (e) { return String_(v); }
  }
  function addLog(level, args) {
    if (logs.length >= MAX_LOGS) { logsDropped++; return; }
    let s = '';
    for (let i = 0; i < args.length; i++) s += (i ? ' ' : '') + text(args[i]);
    logs[logs.length] = [level, s.length > MAX_LOG_TEXT ? s.slice(0, MAX_LOG_TEXT) + '…' : s];
  }
  const log = freeze({
    info: function () { addLog('info', arguments); },
    warn: function () { addLog('warn', arguments); },
    error: function () { addLog('error', arguments); },
  });

  function describe(e) {
    if (e && typeof e === 'object') {
      const m = /rule\.js:(\d+):(\d+)/.exec(String_(e.stack || ''));
      const where = m ? ' (line ' + (Number(m[1]) - 1) + ', column ' + m[2] + ')' : '';
      return String_(e.name || 'Error') + ': ' + String_(e.message) + where;
    }
    return 'thrown: ' + text(e);
  }

  function reset() {
    oS = null; oP = null; oY = []; oX = [];
    fails = []; logs = []; logsDropped = 0;
  }

  // QuickJS throws null when it cannot even allocate the out-of-memory error.
  let outOfMemory = false;
  function fail(i, e) {
    fails[fails.length] = i;
    if (e === null) {
      outOfMemory = true;
      fails[fails.length] = 'InternalError: out of memory: the rule exceeded its memory cap';
    } else {
      fails[fails.length] = describe(e);
    }
  }

  // Checks one returned message against the input it came from and records it. Only fields
  // that differ from the input travel back (as [output, field, value] triples in oX).
  function emit(i, port, r, ts, topic, device, quality) {
    if (r === null || typeof r !== 'object' || isArray(r)) {
      throw new TypeError('expected a message object, got ' + (isArray(r) ? 'an array' : r === null ? 'null' : typeof r));
    }
    const rts = r.ts, rtopic = r.topic, rdevice = r.device, rquality = r.quality;
    const dts = rts !== undefined && rts !== ts;
    const dtopic = rtopic !== undefined && rtopic !== topic;
    const ddevice = rdevice !== undefined && rdevice !== device;
    const dquality = rquality !== undefined && rquality !== quality;
    if (dts && (typeof rts !== 'number' || rts !== rts)) throw new TypeError('msg.ts must be a number of milliseconds');
    if (dtopic && typeof rtopic !== 'string') throw new TypeError('msg.topic must be a string');
    if (ddevice && rdevice !== null && typeof rdevice !== 'string') throw new TypeError('msg.device must be a string (or null for none)');
    if (dquality && rquality !== 'good' && rquality !== 'bad' && rquality !== 'uncertain') throw new TypeError('msg.quality must be "good", "bad" or "uncertain"');
    const k = oY.length;
    record(k, i, port);
    const payload = r.payload;
    oY[k] = payload === undefined ? null : payload;
    if (dts) { oX[oX.length] = k; oX[oX.length] = 0; oX[oX.length] = rts; }
    if (dtopic) { oX[oX.length] = k; oX[oX.length] = 1; oX[oX.length] = rtopic; }
    // device null removes it (sent as 0); missing fields keep the input's value.
    if (ddevice) { oX[oX.length] = k; oX[oX.length] = 2; oX[oX.length] = rdevice === null ? 0 : rdevice; }
    if (dquality) { oX[oX.length] = k; oX[oX.length] = 3; oX[oX.length] = rquality; }
  }

  // Output k came from input i on port p. Both columns are kept only once they stop being
  // trivial (every output from the input of the same index, every output on the first port).
  function record(k, i, p) {
    if (oS === null && k !== i) { oS = []; for (let j = 0; j < k; j++) oS[j] = j; }
    if (oS !== null) oS[k] = i;
    if (oP === null && p !== 0) { oP = []; for (let j = 0; j < k; j++) oP[j] = 0; }
    if (oP !== null) oP[k] = p;
  }

  function isMessageShaped(r) {
    if (r.payload !== undefined || r.topic !== undefined || r.ts !== undefined || r.quality !== undefined || r.device !== undefined) return true;
    if (typeof r.then === 'function') throw new TypeError('rules run synchronously: return a message, not a Promise');
    return keys(r).length === 0;
  }

  // An array or an object keyed by port: check all of it before recording any of it, so a bad
  // return adds nothing.
  function emitMany(i, r, ts, topic, device, quality) {
    const pairs = [];
    if (isArray(r)) {
      for (let j = 0; j < r.length; j++) if (r[j] !== null && r[j] !== undefined) { pairs[pairs.length] = 0; pairs[pairs.length] = r[j]; }
    } else {
      const k = keys(r);
      for (let j = 0; j < k.length; j++) {
        const p = portIndex[k[j]];
        if (p === undefined) throw new TypeError('no output port "' + k[j] + '" (ports: ' + ports.join(', ') + ')');
        const v = r[k[j]];
        if (v === null || v === undefined) continue;
        if (isArray(v)) { for (let x = 0; x < v.length; x++) if (v[x] !== null && v[x] !== undefined) { pairs[pairs.length] = p; pairs[pairs.length] = v[x]; } }
        else { pairs[pairs.length] = p; pairs[pairs.length] = v; }
      }
    }
    const mark = oY.length, markX = oX.length;
    try {
      for (let j = 0; j < pairs.length; j += 2) emit(i, pairs[j], pairs[j + 1], ts, topic, device, quality);
    } catch (e) {
      if (oS !== null) oS.length = mark;
      if (oP !== null) oP.length = mark;
      oY.length = mark; oX.length = markX;
      throw e;
    }
  }

  function resume(from) {
    const start = now();
    const n = b.n, t0 = b.t0, td = b.td, tp = b.tp, ti = b.ti, dv = b.dv, di = b.di, q = b.q, pl = inputPayloads === null ? b.pl : inputPayloads;
    const topic0 = tp[0], device0 = dv[0];
    for (let i = from; i < n; i++) {
      if (i > from && now() - start > sliceMs) { progress = i; return 0; }
      progress = i;
      const ts = t0 + td[i];
      const topic = ti === null ? topic0 : tp[ti[i]];
      const device = di === null ? device0 : dv[di[i]];
      const quality = q === null ? 'good' : QUALITY[q[i]];
      const m = { ts: ts, topic: topic, payload: pl[i], quality: quality };
      if (device !== null) m.device = device;
      try {
        const r = rule(m, state, log);
        if (r === undefined || r === null) continue;
        // The common case, the input changed in place with only its payload touched, costs a few compares.
        if (r === m && r.ts === ts && r.topic === topic && r.quality === quality && r.device === (device === null ? undefined : device)) {
          const k = oY.length;
          if (oS !== null || k !== i) record(k, i, 0);
          else if (oP !== null) oP[k] = 0;
          const payload = r.payload;
          oY[k] = payload === undefined ? null : payload;
        } else if (r === m || (typeof r === 'object' && !isArray(r) && isMessageShaped(r))) emit(i, 0, r, ts, topic, device, quality);
        else if (typeof r === 'object') emitMany(i, r, ts, topic, device, quality);
        else throw new TypeError('expected a message, an array of messages or an object keyed by port, got ' + typeof r);
      } catch (e) {
        fail(i, e);
      }
    }
    progress = n;
    return 1;
  }

  // Numbers travel as a Float64Array: parsing and printing decimal text is what costs most here.
  function encode() {
    outputPayloads = null;
    let numeric = oY.length > 0;
    for (let k = 0; numeric && k < oY.length; k++) { const v = oY[k]; numeric = typeof v === 'number' && isFinite_(v); }
    if (numeric) {
      const f = new F64(oY.length);
      for (let k = 0; k < oY.length; k++) f[k] = oY[k];
      outputPayloads = f.buffer;
    }
    return stringify({ s: oS, p: oP, y: numeric ? null : oY, x: oX });
  }

  return {
    install: function (fn, portsJson, stateJson, slice) {
      rule = fn;
      ports = parse(portsJson);
      portIndex = {};
      for (let j = 0; j < ports.length; j++) portIndex[ports[j]] = j;
      if (stateJson) { state = parse(stateJson); lastState = stateJson; }
      if (state === null || typeof state !== 'object') state = {};
      sliceMs = slice;
    },
    run: function (json, from, payloads) {
      b = parse(json);
      inputPayloads = payloads === undefined || payloads === null ? null : new F64(payloads);
      reset();
      return resume(from);
    },
    // The output payloads as an ArrayBuffer of float64 when all of them were finite numbers.
    payloads: function () { return outputPayloads === null ? undefined : outputPayloads; },
    resume: resume,
    progress: function () { return progress; },
    // True once the rule ran out of memory: the host then replaces this instance.
    exhausted: function () { return outOfMemory ? 1 : 0; },
    finish: function () {
      let out;
      try { out = encode(); }
      catch (e) {
        // Some output does not serialise (a cycle, a BigInt): find it, fail its message, keep the rest.
        const keep = [], renumber = {};
        for (let k = 0; k < oY.length; k++) {
          try { stringify(oY[k]); renumber[k] = keep.length; keep[keep.length] = k; }
          catch (e2) { fails[fails.length] = oS === null ? k : oS[k]; fails[fails.length] = 'TypeError: msg.payload cannot be serialised as JSON (' + String_(e2.message) + ')'; }
        }
        const pick = function (a) { const r = []; for (let j = 0; j < keep.length; j++) r[j] = a === null ? keep[j] : a[keep[j]]; return r; };
        const x = [];
        for (let j = 0; j < oX.length; j += 3) if (renumber[oX[j]] !== undefined) { x[x.length] = renumber[oX[j]]; x[x.length] = oX[j + 1]; x[x.length] = oX[j + 2]; }
        const ports = oP;
        oS = pick(oS); oP = ports === null ? null : pick(ports); oY = pick(oY); oX = x;
        out = encode();
      }
      b = null;
      inputPayloads = null;
      return '{"out":' + out + ',"f":' + stringify(fails) + ',"l":' + stringify(logs) + ',"ld":' + logsDropped + '}';
    },
    // The rule's state as JSON when it changed since the last call, else null.
    takeState: function () {
      let s;
      try { s = stringify(state); }
      catch (e) { addLog('error', ['state is not JSON-serialisable and was not saved: ' + String_(e.message)]); return null; }
      if (s === lastState) return null;
      lastState = s;
      return s;
    },
  };
})()`;
