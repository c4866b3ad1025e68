// Runs calls of WidePay's official Node SDK (`wide-pay-node`, unmodified) and prints their outcomes as JSON.
//
// stdin:  {"carteira": "...", "token": "...", "timeout_ms": 5000,
//          "calls": [{"local": "/recebimentos/cobrancas/consultar", "params": {...}, "carteira"?: ..., "token"?: ...}]}
// stdout: [{"outcome": "resolved" | "rejected" | "pending", "value": <what the SDK's promise gave>}, ...]
// The calls run one after another, each with a new WidePay(carteira, token); "pending" is a promise that had not
// settled after timeout_ms (the SDK never settles on an empty answer). Run it with the preload of provider-sim
// (simulator/node/redirect.js) and NODE_EXTRA_CA_CERTS, so that api.widepay.com reaches `serve --tls`.
'use strict';

const WidePay = require('wide-pay-node');

function settle(promise, ms) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve({ outcome: 'pending', value: null }), ms); });
  const done = promise.then((value) => ({ outcome: 'resolved', value }), (value) => ({ outcome: 'rejected', value }));
  return Promise.race([done, late]).finally(() => clearTimeout(timer));
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const results = [];
  for (const call of input.calls) {
    const sdk = new WidePay(call.carteira ?? input.carteira, call.token ?? input.token);
    results.push(await settle(sdk.api(call.local, call.params ?? {}), input.timeout_ms ?? 5000));
  }
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exit(0); // the SDK's keep-alive sockets would hold the process open
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack || error}\n`);
  process.exit(1);
});
