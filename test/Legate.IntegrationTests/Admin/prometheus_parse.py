"""Parses Prometheus text exposition from stdin with the reference client library's parser.

Prints one line per family ("family <name> <type>") and per sample
("sample <family> <sample name> <label>=<value>,... <value>", labels in exposition order).
The library names counter samples "<family>_total" whether or not the exposition did.
Exit code 3 when prometheus_client is not installed, 2 when the input does not parse.
"""
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.stderr.write("prometheus_client is not installed (Debian: apt-get install python3-prometheus-client)\n")
    sys.exit(3)

text = sys.stdin.read()
try:
    for family in text_string_to_metric_families(text):
        print("family %s %s" % (family.name, family.type))
        for sample in family.samples:
            labels = ",".join("%s=%s" % (k, v) for k, v in sample.labels.items())
            print("sample %s %s %s %r" % (family.name, sample.name, labels, sample.value))
except Exception as e:  # the parser raises ValueError and friends on malformed input
    sys.stderr.write("parse error: %s\n" % e)
    sys.exit(2)
