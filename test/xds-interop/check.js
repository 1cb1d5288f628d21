#!/usr/bin/env node
'use strict';
// Self-check of server.js without Legate: a client on the same upstream protos subscribes over ADS, ACKs, NACKs,
// follows an update and sees the server close the stream. Exits 0 when everything holds.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const grpc = require('@grpc/grpc-js');
const protos = require('./protos');

const CLUSTER = protos.TYPE_PREFIX + 'envoy.config.cluster.v3.Cluster';
const CLA = protos.TYPE_PREFIX + 'envoy.config.endpoint.v3.ClusterLoadAssignment';

function resources(version, closeStreams) {
  return {
    version,
    close_streams: closeStreams,
    resources: [
      { '@type': CLUSTER, name: 'c1', type: 'EDS', connect_timeout: { seconds: 1 },
        eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } },
      { '@type': CLA, cluster_name: 'c1', endpoints: [{ lb_endpoints: [{ endpoint: { address: {
        socket_address: { address: '127.0.0.1', port_value: version === 'v1' ? 1111 : 2222 } } } }] }] },
    ],
  };
}

function writeAtomically(file, doc) {
  fs.writeFileSync(file + '.tmp', JSON.stringify(doc));
  fs.renameSync(file + '.tmp', file);
}

async function waitFor(what, predicate, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = predicate();
    if (value) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error('timed out waiting for ' + what);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-interop-check-'));
  const resFile = path.join(dir, 'resources.json');
  const logFile = path.join(dir, 'requests.jsonl');
  const portFile = path.join(dir, 'port');
  writeAtomically(resFile, resources('v1', 0));
  const server = spawn(process.execPath, [path.join(__dirname, 'server.js'), '--resources', resFile, '--log', logFile,
    '--port', '0', '--port-file', portFile, '--exit-with-stdin', '1'], { stdio: ['pipe', 'inherit', 'inherit'] });
  let exited = null;
  server.on('exit', (code) => { exited = code; });
  const root = protos.loadRoot();
  try {
    const port = await waitFor('port file', () => {
      if (exited !== null) {
        throw new Error('server.js exited with ' + exited);
      }
      return fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8');
    });
    const Ads = grpc.makeGenericClientConstructor(protos.loadAds(), 'AggregatedDiscoveryService');
    const client = new Ads('127.0.0.1:' + port, grpc.credentials.createInsecure());
    const call = client.StreamAggregatedResources();
    const responses = [];
    let streamError = null;
    call.on('data', (r) => responses.push(r));
    call.on('error', (e) => { streamError = e; });
    const node = { id: 'check-node', cluster: 'check' };
    const next = (type, n) => waitFor(type + ' response #' + n, () => responses.filter((r) => r.type_url === type)[n - 1]);

    call.write({ node, type_url: CLUSTER, resource_names: [] });
    const cds = await next(CLUSTER, 1);
    assert.strictEqual(cds.version_info, 'v1');
    assert.deepStrictEqual(cds.resources.map((a) => protos.decodeAny(root, a).name), ['c1']);
    call.write({ node, type_url: CLUSTER, version_info: 'v1', response_nonce: cds.nonce });

    call.write({ node, type_url: CLA, resource_names: ['c1'] });
    const eds = await next(CLA, 1);
    const cla = protos.decodeAny(root, eds.resources[0]);
    assert.strictEqual(cla.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 1111);
    call.write({ node, type_url: CLA, version_info: '', response_nonce: eds.nonce,
      resource_names: ['c1'], error_detail: { code: 3, message: 'check: rejected on purpose' } });

    writeAtomically(resFile, resources('v2', 0));
    const cds2 = await next(CLUSTER, 2);
    const eds2 = await next(CLA, 2);
    assert.strictEqual(cds2.version_info, 'v2');
    assert.strictEqual(protos.decodeAny(root, eds2.resources[0]).endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 2222);

    writeAtomically(resFile, resources('v2', 1));
    await waitFor('stream closed by server', () => streamError);
    assert.strictEqual(streamError.code, grpc.status.UNAVAILABLE);

    const log = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const requests = log.filter((e) => e.event === 'request');
    assert.deepStrictEqual(requests.map((e) => e.kind), ['REQUEST', 'ACK', 'REQUEST', 'NACK']);
    assert.strictEqual(requests[3].error_detail.message, 'check: rejected on purpose');
    assert.strictEqual(requests[0].node.id, 'check-node');
    assert.ok(log.some((e) => e.event === 'reload' && e.version === 'v2'));
    client.close();
    console.log('xds-interop check: 1 passed, 0 failed');
  } finally {
    server.stdin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('xds-interop check failed:', e && e.stack ? e.stack : e);
  process.exit(1);
});
