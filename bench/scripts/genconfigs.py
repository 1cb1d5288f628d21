#!/usr/bin/env python3
"""Generates the large bench configs (too big to commit) into OUT/configs.

  legate-vhosts.yaml      1,000 virtual hosts x 10 routes; Host vh999.bench.local + path "/" matches the last route
                          of the last virtual host.
  legate-clusters.yaml    100 ROUND_ROBIN clusters of 4 hosts (127.0.0.1-4:18080); route /cN/ -> cluster cN.
  legate-10k-clusters.yaml  10,000 STATIC clusters (config load time and RSS).
  legate-idle.yaml        examples/quickstart.yaml on bench ports (idle RSS).
  legate-jit.yaml         configs/legate.yaml on the ports of the JIT build (18085, admin 19085).
  clusters.lua            wrk script cycling over /c0/ .. /c99/.
  www/16k                 the 16 KiB upstream body.
"""
import os
import sys

HCM_HEAD = """\
admin:
  address:
    socket_address: {{ address: 127.0.0.1, port_value: {admin} }}

static_resources:
  listeners:
    - name: bench
      address:
        socket_address: {{ address: 127.0.0.1, port_value: {port} }}
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: bench
                codec_type: AUTO
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                route_config:
                  name: bench_route
                  virtual_hosts:
"""

UPSTREAM = "127.0.0.1"
UPSTREAM_PORT = 18080


def endpoint(address, port=UPSTREAM_PORT):
    return ("              - endpoint: { address: { socket_address: { address: %s, port_value: %d } } }\n"
            % (address, port))


def cluster(name, addresses, lb="ROUND_ROBIN"):
    text = ("    - name: %s\n      connect_timeout: 1s\n      type: STATIC\n      lb_policy: %s\n"
            "      load_assignment:\n        cluster_name: %s\n        endpoints:\n          - lb_endpoints:\n"
            % (name, lb, name))
    return text + "".join(endpoint(a) for a in addresses)


def vhosts_config(port, admin, vhost_count=1000, routes_per_vhost=10):
    out = [HCM_HEAD.format(port=port, admin=admin)]
    for v in range(vhost_count):
        out.append('                    - name: vh%d\n                      domains: ["vh%d.bench.local"]\n'
                   '                      routes:\n' % (v, v))
        for r in range(routes_per_vhost - 1):
            out.append('                        - { match: { prefix: "/vh%d/route%d/" }, route: { cluster: bench_upstream } }\n'
                       % (v, r))
        out.append('                        - { match: { prefix: "/" }, route: { cluster: bench_upstream } }\n')
    out.append("  clusters:\n")
    out.append(cluster("bench_upstream", [UPSTREAM]))
    return "".join(out)


def clusters_config(port, admin, count=100, hosts=4):
    out = [HCM_HEAD.format(port=port, admin=admin)]
    out.append('                    - name: bench\n                      domains: ["*"]\n                      routes:\n')
    for c in range(count):
        out.append('                        - { match: { prefix: "/c%d/" }, route: { cluster: c%d } }\n' % (c, c))
    out.append('                        - { match: { prefix: "/" }, route: { cluster: c0 } }\n')
    out.append("  clusters:\n")
    addresses = ["127.0.0.%d" % (h + 1) for h in range(hosts)]
    for c in range(count):
        out.append(cluster("c%d" % c, addresses))
    return "".join(out)


def many_clusters_config(port, admin, count=10000):
    out = [HCM_HEAD.format(port=port, admin=admin)]
    out.append('                    - name: bench\n                      domains: ["*"]\n                      routes:\n'
               '                        - { match: { prefix: "/" }, route: { cluster: c0 } }\n')
    out.append("  clusters:\n")
    for c in range(count):
        out.append(cluster("c%d" % c, [UPSTREAM]))
    return "".join(out)


def idle_config(repo):
    with open(os.path.join(repo, "examples", "quickstart.yaml")) as f:
        text = f.read()
    # Bench ports, so the idle probe never collides with anything else on the machine.
    for old, new in (("9901", "19110"), ("10000", "18110"), ("10001", "18111"), ("10002", "18112")):
        text = text.replace("port_value: " + old, "port_value: " + new)
    return text


def jit_config(repo):
    with open(os.path.join(repo, "bench", "configs", "legate.yaml")) as f:
        text = f.read()
    # The bench config on the JIT build's own ports.
    return text.replace("port_value: 18086", "port_value: 18085").replace("port_value: 19086", "port_value: 19085")


def clusters_lua(count=100):
    paths = ", ".join('"/c%d/"' % c for c in range(count))
    return ("-- Cycles the request path over the 100 clusters' routes.\n"
            "local paths = { %s }\n"
            "local n = 0\n"
            "request = function()\n"
            "  n = n + 1\n"
            "  return wrk.format(nil, paths[(n %% #paths) + 1])\n"
            "end\n" % paths)


def main():
    out, repo = sys.argv[1], sys.argv[2]
    configs = os.path.join(out, "configs")
    www = os.path.join(out, "www")
    os.makedirs(configs, exist_ok=True)
    os.makedirs(www, exist_ok=True)
    files = {
        "legate-vhosts.yaml": vhosts_config(18088, 19088),
        "legate-clusters.yaml": clusters_config(18089, 19089),
        "legate-10k-clusters.yaml": many_clusters_config(18100, 19100),
        "legate-idle.yaml": idle_config(repo),
        "legate-jit.yaml": jit_config(repo),
        "clusters.lua": clusters_lua(),
    }
    for name, text in files.items():
        with open(os.path.join(configs, name), "w") as f:
            f.write(text)
    with open(os.path.join(www, "16k"), "wb") as f:
        f.write((b"0123456789abcdef" * 1024)[:16384])


if __name__ == "__main__":
    main()
