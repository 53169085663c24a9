/**
 * The JavaScript that runs inside each QuickJS sandbox before the rule: it decodes a batch,
 * calls the rule once per message, validates and encodes what the rule returns, and keeps
 * the rule's state. It captures the builtins it needs first, so a rule that overwrites them
 * can only break itself. The host drives it through the object this expression returns.
 */
export const GUEST_DRIVER = String.raw`(function () {
  'use strict';
  const parse = JSON.parse, stringify = JSON.stringify, now = Date.now, isArray = Array.isArray;
  const keys = Object.keys, freeze = Object.freeze, String_ = String;
  const QUALITY = ['good', 'bad', 'uncertain'];
  const MSG_KEYS = { ts: 1, topic: 1, payload: 1, device: 1, quality: 1 };
  const MAX_LOGS = 50, MAX_LOG_TEXT = 1000;
  let rule = null, ports = [], portIndex = {}, state = {}, lastState = '{}', sliceMs = 5;
  let b = null, topicOf = null, deviceOf = null;
  let oS, oP, oT, oO, oY, oD, oQ, fails, logs, logsDropped, progress = 0;

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
    oS = []; oP = []; oT = []; oO = []; oY = []; oD = []; oQ = [];
    fails = []; logs = []; logsDropped = 0;
  }

  function message(i) {
    const m = { ts: b.ts[i], topic: topicOf(i), payload: b.pl[i], quality: b.q ? QUALITY[b.q[i]] : 'good' };
    const d = deviceOf(i);
    if (d !== null) m.device = d;
    return m;
  }

  function check(m, i) {
    if (m === null || typeof m !== 'object' || isArray(m)) {
      throw new TypeError('expected a message object, got ' + (isArray(m) ? 'an array' : m === null ? 'null' : typeof m));
    }
    if (m.ts !== undefined && (typeof m.ts !== 'number' || m.ts !== m.ts)) throw new TypeError('msg.ts must be a number of milliseconds');
    if (m.topic !== undefined && typeof m.topic !== 'string') throw new TypeError('msg.topic must be a string');
    if (m.device !== undefined && m.device !== null && typeof m.device !== 'string') throw new TypeError('msg.device must be a string (or null for none)');
    if (m.quality !== undefined && QUALITY.indexOf(m.quality) < 0) throw new TypeError('msg.quality must be "good", "bad" or "uncertain"');
  }

  function isMessageShaped(r) {
    const k = keys(r);
    if (k.length === 0) return true;
    for (let j = 0; j < k.length; j++) if (MSG_KEYS[k[j]] === 1) return true;
    return false;
  }

  // Turns what the rule returned into [port, message] pairs, checking everything first so a
  // bad return adds nothing.
  function outputsOf(r, i) {
    if (r === undefined || r === null) return null;
    if (typeof r.then === 'function') throw new TypeError('rules run synchronously: return a message, not a Promise');
    const out = [];
    if (isArray(r)) {
      for (let j = 0; j < r.length; j++) if (r[j] !== null && r[j] !== undefined) { check(r[j], i); out[out.length] = 0; out[out.length] = r[j]; }
      return out;
    }
    if (typeof r !== 'object') throw new TypeError('expected a message, an array of messages or an object keyed by port, got ' + typeof r);
    if (isMessageShaped(r)) { check(r, i); return [0, r]; }
    const k = keys(r);
    for (let j = 0; j < k.length; j++) {
      const p = portIndex[k[j]];
      if (p === undefined) throw new TypeError('no output port "' + k[j] + '" (ports: ' + ports.join(', ') + ')');
      const v = r[k[j]];
      if (v === null || v === undefined) continue;
      if (isArray(v)) { for (let x = 0; x < v.length; x++) if (v[x] !== null && v[x] !== undefined) { check(v[x], i); out[out.length] = p; out[out.length] = v[x]; } }
      else { check(v, i); out[out.length] = p; out[out.length] = v; }
    }
    return out;
  }

  function emit(i, port, m) {
    const k = oS.length;
    const topic = topicOf(i), device = deviceOf(i), quality = b.q ? QUALITY[b.q[i]] : 'good';
    oS[k] = i;
    oP[k] = port;
    oT[k] = m.ts === undefined || m.ts === b.ts[i] ? null : m.ts;
    oO[k] = m.topic === undefined || m.topic === topic ? null : m.topic;
    oY[k] = m.payload === undefined ? null : m.payload;
    // Missing fields keep the input's value; device null removes it (sent as 0).
    oD[k] = m.device === undefined || m.device === device ? null : m.device === null ? 0 : m.device;
    oQ[k] = m.quality === undefined || m.quality === quality ? null : m.quality;
  }

  function resume(from) {
    const start = now();
    const n = b.n;
    for (let i = from; i < n; i++) {
      if (i > from && now() - start > sliceMs) { progress = i; return 0; }
      progress = i;
      try {
        const outs = outputsOf(rule(message(i), state, log), i);
        if (outs !== null) for (let j = 0; j < outs.length; j += 2) emit(i, outs[j], outs[j + 1]);
      } catch (e) {
        fails[fails.length] = i;
        fails[fails.length] = describe(e);
      }
    }
    progress = n;
    return 1;
  }

  function encode() {
    return stringify({ s: oS, p: oP, t: oT, o: oO, y: oY, d: oD, q: oQ });
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
    run: function (json, from) {
      b = parse(json);
      const tp = b.tp, ti = b.ti, dv = b.dv, di = b.di;
      topicOf = ti ? function (i) { return tp[ti[i]]; } : function () { return tp[0]; };
      deviceOf = di ? function (i) { return dv[di[i]]; } : function () { return dv[0]; };
      reset();
      return resume(from);
    },
    resume: resume,
    progress: function () { return progress; },
    finish: function () {
      let out;
      try { out = encode(); }
      catch (e) {
        // Some output does not serialise (a cycle, a BigInt): find it, fail its message, keep the rest.
        const keep = [];
        for (let k = 0; k < oS.length; k++) {
          try { stringify(oY[k]); keep[keep.length] = k; }
          catch (e2) { fails[fails.length] = oS[k]; fails[fails.length] = 'TypeError: msg.payload cannot be serialised as JSON (' + String_(e2.message) + ')'; }
        }
        const pick = function (a) { const r = []; for (let j = 0; j < keep.length; j++) r[j] = a[keep[j]]; return r; };
        oS = pick(oS); oP = pick(oP); oT = pick(oT); oO = pick(oO); oY = pick(oY); oD = pick(oD); oQ = pick(oQ);
        out = encode();
      }
      b = null;
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
