// Runs calls of WidePay's official Node SDK (`wide-pay-node`, unmodified) and prints their outcomes as JSON.
//
// stdin:  {"carteira": "...", "token": "...", "timeout_ms": 5000,
//          "calls": [{"local": "/recebimentos/cobrancas/consultar", "params": {...}, "carteira"?: ..., "token"?: ...}]}
// stdout: [{"outcome": "resolved" | "rejected" | "pending", "value": <what the SDK's promise gave>}, ...]
// The calls run one after another, each with a new WidePay(carteira, token); "pending" is a promise that had not
// settled after timeout_ms (the SDK never settles on an empty answer). A parameter written "$N.path" (e.g. "$0.id")
// is the value at that dotted path of call N's result, so a flow can use the id an earlier call was given.
// Run it with the preload of provider-sim (simulator/node/redirect.js) and NODE_EXTRA_CA_CERTS, so that
// api.widepay.com reaches `serve --tls`.
'use strict';

const WidePay = require('wide-pay-node');

function settle(promise, ms) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve({ outcome: 'pending', value: null }), ms); });
  const done = promise.then((value) => ({ outcome: 'resolved', value }), (value) => ({ outcome: 'rejected', value }));
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}

function resolveRefs(value, results) {
  if (typeof value === 'string') {
    const match = /^\$(\d+)\.(.+)$/.exec(value);
    if (!match) return value;
    return match[2].split('.').reduce((node, key) => (node == null ? node : node[key]), results[Number(match[1])].value);
  }
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, results));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveRefs(item, results)]));
  }
  return value;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const results = [];
  for (const call of input.calls) {
    const sdk = new WidePay(call.carteira ?? input.carteira, call.token ?? input.token);
    const params = resolveRefs(call.params ?? {}, results);
    results.push(await settle(sdk.api(call.local, params), input.timeout_ms ?? 5000));
  }
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exit(0); // the SDK's keep-alive sockets would hold the process open
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack || error}\n`);
  process.exit(1);
});
