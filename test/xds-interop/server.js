#!/usr/bin/env node
'use strict';
// An xDS management server for interop tests, built only on the upstream Envoy protos (see protos.js).
// Serves ADS state-of-the-world (envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources).
//
//   node server.js --resources res.json --log requests.jsonl [--port 0] [--port-file port.txt] [--exit-with-stdin 1]
//
// res.json: {"version": "v1", "resources": [{"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", ...}, ...],
//            "close_streams": 0}
//   Resources use protobufjs object form with proto field names (see protos.js encodeAny). Listeners and clusters are
//   served to wildcard subscriptions; route configurations and cluster load assignments by the names requested.
//   The file is re-read when it changes (write a new file and rename it into place) or on SIGHUP; every open stream then
//   gets the new version of each type it subscribed to. Raising "close_streams" ends every open stream (UNAVAILABLE),
//   so a test can force the client to reconnect. A file that fails to encode is ignored (load_error in the log).
// requests.jsonl: one JSON object per line, appended as things happen:
//   {"event":"listening","port":N} {"event":"stream_open","stream":S} {"event":"stream_closed","stream":S}
//   {"event":"request","stream":S,"kind":"REQUEST|ACK|NACK","type_url":..,"version_info":..,"response_nonce":..,
//    "resource_names":[..],"error_detail":{"code":N,"message":".."}|null,"node":{"id":..,"cluster":..}}
//   {"event":"response","stream":S,"type_url":..,"version_info":..,"nonce":..,"resource_names":[..]}
//   {"event":"reload","version":..} {"event":"load_error","message":..}
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protos = require('./protos');

const LISTENER = protos.TYPE_PREFIX + 'envoy.config.listener.v3.Listener';
const CLUSTER = protos.TYPE_PREFIX + 'envoy.config.cluster.v3.Cluster';
const WILDCARD_TYPES = new Set([LISTENER, CLUSTER]);

function parseArgs(argv) {
  const args = { port: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-/g, '_');
    args[key] = argv[i + 1];
  }
  if (!args.resources || !args.log) {
    throw new Error('usage: node server.js --resources FILE --log FILE [--port N] [--port-file FILE]');
  }
  args.port = Number(args.port);
  return args;
}

class Snapshot {
  constructor(version, byType, closeStreams) {
    this.version = version;
    this.byType = byType; // type_url -> [{name, any}]
    this.closeStreams = closeStreams;
  }

  static load(root, file) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const byType = new Map();
    for (const resource of doc.resources || []) {
      const any = protos.encodeAny(root, resource);
      const name = resource.name || resource.cluster_name || '';
      if (!byType.has(any.type_url)) {
        byType.set(any.type_url, []);
      }
      byType.get(any.type_url).push({ name, any });
    }
    return new Snapshot(String(doc.version || '1'), byType, Number(doc.close_streams || 0));
  }

  select(typeUrl, names) {
    const all = this.byType.get(typeUrl) || [];
    if (names === null) {
      return all;
    }
    return all.filter((r) => names.has(r.name));
  }
}

class Server {
  constructor(args) {
    this.args = args;
    this.root = protos.loadRoot();
    this.streams = new Set();
    this.nextStream = 1;
    this.snapshot = Snapshot.load(this.root, args.resources);
  }

  log(entry) {
    fs.appendFileSync(this.args.log, JSON.stringify(Object.assign({ time: new Date().toISOString() }, entry)) + '\n');
  }

  reload() {
    let next;
    try {
      next = Snapshot.load(this.root, this.args.resources);
    } catch (e) {
      this.log({ event: 'load_error', message: String(e.message || e) });
      return;
    }
    const previous = this.snapshot;
    this.snapshot = next;
    this.log({ event: 'reload', version: next.version });
    if (next.closeStreams !== previous.closeStreams) {
      for (const stream of Array.from(this.streams)) {
        stream.close();
      }
      return;
    }
    for (const stream of this.streams) {
      stream.pushAll();
    }
  }

  handle(call) {
    const stream = new Stream(this, call, this.nextStream++);
    this.streams.add(stream);
    this.log({ event: 'stream_open', stream: stream.id });
    call.on('data', (request) => stream.onRequest(request));
    const done = () => {
      if (this.streams.delete(stream)) {
        this.log({ event: 'stream_closed', stream: stream.id });
      }
    };
    call.on('end', () => {
      done();
      call.end();
    });
    call.on('error', done);
    call.on('cancelled', done);
    call.on('close', done);
  }
}

class Stream {
  constructor(server, call, id) {
    this.server = server;
    this.call = call;
    this.id = id;
    this.nonce = 0;
    this.subscriptions = new Map(); // type_url -> {names: Set|null, lastNonce}
  }

  onRequest(request) {
    const typeUrl = request.type_url;
    const names = request.resource_names || [];
    const hasError = request.error_detail && (request.error_detail.code || request.error_detail.message);
    const kind = hasError ? 'NACK' : request.response_nonce ? 'ACK' : 'REQUEST';
    this.server.log({
      event: 'request',
      stream: this.id,
      kind,
      type_url: typeUrl,
      version_info: request.version_info,
      response_nonce: request.response_nonce,
      resource_names: names,
      error_detail: hasError ? { code: request.error_detail.code, message: request.error_detail.message } : null,
      node: request.node ? { id: request.node.id, cluster: request.node.cluster } : null,
    });
    // Wildcard types: an empty list (or "*") means everything; other types serve what is named.
    const wildcard = WILDCARD_TYPES.has(typeUrl) && (names.length === 0 || names.includes('*'));
    const wanted = wildcard ? null : new Set(names);
    const current = this.subscriptions.get(typeUrl);
    const changed = !current || !sameNames(current.names, wanted);
    this.subscriptions.set(typeUrl, { names: wanted, lastNonce: current ? current.lastNonce : '' });
    // An ACK or NACK of what we sent needs no answer; a new or changed subscription does.
    if (changed) {
      this.push(typeUrl);
    }
  }

  pushAll() {
    for (const typeUrl of this.subscriptions.keys()) {
      this.push(typeUrl);
    }
  }

  push(typeUrl) {
    const subscription = this.subscriptions.get(typeUrl);
    const selected = this.server.snapshot.select(typeUrl, subscription.names);
    const nonce = String(++this.nonce);
    subscription.lastNonce = nonce;
    const response = {
      version_info: this.server.snapshot.version,
      resources: selected.map((r) => r.any),
      type_url: typeUrl,
      nonce,
    };
    this.call.write(response);
    this.server.log({
      event: 'response',
      stream: this.id,
      type_url: typeUrl,
      version_info: response.version_info,
      nonce,
      resource_names: selected.map((r) => r.name),
    });
  }

  close() {
    this.server.streams.delete(this);
    this.server.log({ event: 'stream_closed', stream: this.id, by: 'server' });
    this.call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'closed by the management server' });
  }
}

function sameNames(a, b) {
  if (a === null || b === null) {
    return a === b;
  }
  if (a.size !== b.size) {
    return false;
  }
  for (const n of a) {
    if (!b.has(n)) {
      return false;
    }
  }
  return true;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const server = new Server(args);
  const grpcServer = new grpc.Server();
  grpcServer.addService(protos.loadAds(), {
    StreamAggregatedResources: (call) => server.handle(call),
    DeltaAggregatedResources: (call) => {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'delta ADS is not served by this test server' });
    },
  });
  grpcServer.bindAsync('127.0.0.1:' + args.port, grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      console.error(error);
      process.exit(2);
    }
    server.log({ event: 'listening', port });
    if (args.port_file) {
      const tmp = args.port_file + '.tmp';
      fs.writeFileSync(tmp, String(port));
      fs.renameSync(tmp, args.port_file);
    }
    console.log('xds-interop listening on 127.0.0.1:' + port);
  });
  // Polling stat sees a rename into place (new inode) as well as an in-place write.
  fs.watchFile(path.resolve(args.resources), { interval: 100 }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size) {
      server.reload();
    }
  });
  process.on('SIGHUP', () => server.reload());
  const stop = () => {
    grpcServer.forceShutdown();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args.exit_with_stdin === '1') {
    // A harness that owns this process closes our stdin to stop us even if it dies without a signal.
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

main();
