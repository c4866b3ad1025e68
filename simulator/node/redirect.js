// provider-sim's Node preload: send TLS connections for the providers' real host names to the simulator.
//
//   NODE_EXTRA_CA_CERTS=<tls-dir>/ca.pem PROVIDER_SIM_TLS=127.0.0.1:8443 \
//   PROVIDER_SIM_HOSTS=api.widepay.com,widepay.com node --require <this file> app.js
//
// An SDK with a hard-coded host (WidePay's `wide-pay-node` always calls https://api.widepay.com) then reaches
// `provider-sim serve --tls` unmodified: only the address and port of the connection change. The SNI name, the
// certificate check (against the simulator's CA, trusted through NODE_EXTRA_CA_CERTS) and the Host header keep the
// real host name, which is how the simulator knows which provider to answer as.
//   PROVIDER_SIM_TLS    where the simulator serves HTTPS, HOST:PORT (default 127.0.0.1:8443; [::1]:PORT for IPv6)
//   PROVIDER_SIM_HOSTS  the host names to redirect, comma-separated (`serve --tls` prints them); others are untouched
'use strict';

const tls = require('tls');

function target(text) {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`PROVIDER_SIM_TLS must be HOST:PORT, not ${JSON.stringify(text)}`);
  return { host: match[1], port: Number(match[2]) };
}

const destination = target(process.env.PROVIDER_SIM_TLS || '127.0.0.1:8443');
const hosts = new Set((process.env.PROVIDER_SIM_HOSTS || '').split(',')
  .map((name) => name.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean));
const connect = tls.connect;

// tls.connect(options[, callback]) or tls.connect(port[, host][, options][, callback]): as options + callback.
function normalize(args) {
  const rest = [...args];
  const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : undefined;
  if (rest[0] !== null && typeof rest[0] === 'object') return [{ ...rest[0] }, callback];
  const options = { port: rest[0] };
  if (typeof rest[1] === 'string') options.host = rest[1];
  const extra = rest.find((arg, i) => i > 0 && arg !== null && typeof arg === 'object');
  return [{ ...(extra || {}), ...options }, callback];
}

tls.connect = function connectToSimulator(...args) {
  const [options, callback] = normalize(args);
  const name = String(options.host || options.hostname || options.servername || '').toLowerCase().replace(/\.$/, '');
  if (options.path == null && !options.socket && hosts.has(name)) { // path: a Unix socket, when set
    const redirected = { ...options, host: destination.host, port: destination.port, servername: options.servername || name };
    delete redirected.hostname;
    return callback ? connect.call(this, redirected, callback) : connect.call(this, redirected);
  }
  return connect.apply(this, args);
};
