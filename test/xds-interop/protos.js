'use strict';
// Loads the upstream Envoy protos shipped in @grpc/grpc-js-xds (deps/: envoy-api, xds, googleapis,
// protoc-gen-validate) — deliberately not Legate's api/ — for both gRPC (proto-loader) and resource
// encoding (protobufjs, so JSON resources with nested "@type" Anys become the bytes Envoy expects).
const path = require('path');
const fs = require('fs');
const protobuf = require('protobufjs');
const protoLoader = require('@grpc/proto-loader');

const depsRoot = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const includeDirs = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(depsRoot, d));

// Every resource type the server can serve, plus the extensions their Anys carry.
const resourceProtos = [
  'envoy/service/discovery/v3/ads.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
];

const TYPE_PREFIX = 'type.googleapis.com/';

function loadAds() {
  const definition = protoLoader.loadSync('envoy/service/discovery/v3/ads.proto', {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs,
  });
  return definition['envoy.service.discovery.v3.AggregatedDiscoveryService'];
}

function loadRoot() {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target) && fs.existsSync(target)) {
      return target;
    }
    for (const dir of includeDirs) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) {
        return candidate;
      }
    }
    return target;
  };
  root.loadSync(resourceProtos, { keepCase: true });
  root.resolveAll();
  return root;
}

// {"@type": "type.googleapis.com/x.y.Z", ...fields} -> google.protobuf.Any {type_url, value}.
// Field names are the proto's (snake_case); nested Anys use "@type" the same way; Durations are
// {seconds, nanos} and wrappers {value} (protobufjs object form, not the canonical JSON strings).
function encodeAny(root, resource) {
  const typeUrl = resource['@type'];
  if (typeof typeUrl !== 'string' || !typeUrl.startsWith(TYPE_PREFIX)) {
    throw new Error('resource without a type.googleapis.com/ "@type": ' + JSON.stringify(resource).slice(0, 200));
  }
  const type = root.lookupType(typeUrl.substring(TYPE_PREFIX.length));
  const fields = Object.assign({}, resource);
  delete fields['@type'];
  const problem = type.verify(type.fromObject(fields));
  if (problem) {
    throw new Error(typeUrl + ': ' + problem);
  }
  return { type_url: typeUrl, value: Buffer.from(type.encode(type.fromObject(fields)).finish()) };
}

function decodeAny(root, any) {
  const type = root.lookupType(any.type_url.substring(TYPE_PREFIX.length));
  return type.toObject(type.decode(any.value), { longs: String, enums: String, json: true });
}

module.exports = { depsRoot, includeDirs, loadAds, loadRoot, encodeAny, decodeAny, TYPE_PREFIX };
