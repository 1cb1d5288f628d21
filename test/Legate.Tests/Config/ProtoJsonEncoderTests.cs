using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;

namespace Legate.Tests.Config;

/// <summary>
/// ConfigParser writes protobuf binary from plain descriptors instead of using Google.Protobuf's JsonParser.
/// For canonical proto3 JSON both must give the same message, byte for byte (Anys are compared by their bytes).
/// </summary>
public class ProtoJsonEncoderTests
{
    private static readonly JsonParser s_reference = new(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry));

    private static void SameAsJsonParser<T>(string json) where T : IMessage<T>, new()
    {
        var ours = ConfigParser.ParseJson<T>(json, ConfigLoadOptions.Strict);
        var reference = s_reference.Parse<T>(json);
        Assert.Equal(reference, ours);
        Assert.Equal(reference.ToByteString(), ours.ToByteString());
    }

    [Theory]
    [InlineData("\"1.5s\"")]
    [InlineData("\"-1.000000001s\"")]
    [InlineData("\"0s\"")]
    [InlineData("\"315576000000s\"")]
    public void Durations(string json) => SameAsJsonParser<Duration>(json);

    [Theory]
    [InlineData("\"2024-01-02T03:04:05Z\"")]
    [InlineData("\"2024-01-02T03:04:05.123456789+01:30\"")]
    [InlineData("\"1970-01-01T00:00:00.5-02:00\"")]
    public void Timestamps(string json) => SameAsJsonParser<Timestamp>(json);

    // The pattern alone would let these through; the calendar does not (nor does protobuf's own parser).
    [Theory]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2016-12-31T23:59:60Z")]
    [InlineData("2024-01-01T00:00:00+25:00")]
    public void ImpossibleTimestampsAreConfigErrors(string text)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigParser.ParseJson<Timestamp>("\"" + text + "\"", ConfigLoadOptions.Strict));
        Assert.Contains("invalid timestamp \"" + text + "\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2147483648", Google.Protobuf.Reflection.FieldType.Int32, "int32")]
    [InlineData("-1", Google.Protobuf.Reflection.FieldType.UInt32, "uint32")]
    [InlineData("4294967296", Google.Protobuf.Reflection.FieldType.Fixed32, "uint32")]
    [InlineData("-9223372036854775809", Google.Protobuf.Reflection.FieldType.SInt64, "int64")]
    [InlineData("-1", Google.Protobuf.Reflection.FieldType.UInt64, "uint64")]
    public void IntegerMapKeysAreCheckedAgainstTheirOwnType(string key, Google.Protobuf.Reflection.FieldType type, string typeName)
    {
        var e = Assert.Throws<ConfigException>(() => ScalarFieldValues.CheckMapKey(key, type, "m[\"" + key + "\"]"));
        Assert.Equal("m[\"" + key + "\"]: value " + key + " is out of range for " + typeName + " map key", e.Message);
        ScalarFieldValues.CheckMapKey("7", type, "m[\"7\"]");
    }

    [Theory]
    [InlineData("\"statPrefix,routeConfig.virtualHosts\"")]
    [InlineData("\"\"")]
    public void FieldMasks(string json) => SameAsJsonParser<FieldMask>(json);

    [Fact]
    public void StructsKeepEveryJsonKind() =>
        SameAsJsonParser<Struct>("""{"a": 1.5, "b": "x", "c": true, "d": null, "e": [1, "two", {"f": []}], "g": {"h": false}, "i": 0}""");

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    public void WrappersAtDefaultAndNot(string json)
    {
        SameAsJsonParser<UInt32Value>(json);
        SameAsJsonParser<Int64Value>("\"" + json + "\"");
        SameAsJsonParser<DoubleValue>(json);
    }

    [Theory]
    [InlineData("""{"value": "Infinity"}""")]
    [InlineData("""{"value": "-Infinity"}""")]
    [InlineData("""{"value": 12.5}""")]
    [InlineData("""{"value": 0}""")]
    public void Doubles(string json) => SameAsJsonParser<Percent>(json);

    [Fact]
    public void SixtyFourBitIntegersAsStringsAndNumbers() => SameAsJsonParser<Int64Range>("""{"start": "-9223372036854775808", "end": 42}""");

    [Fact]
    public void BytesInEveryBase64Form()
    {
        SameAsJsonParser<DataSource>("""{"inline_bytes": "aGVsbG8gd29ybGQ="}""");
        // URL-safe and unpadded: the same bytes.
        var ours = ConfigParser.ParseJson<DataSource>("""{"inline_bytes": "-_8"}""", ConfigLoadOptions.Strict);
        Assert.Equal(new byte[] { 0xfb, 0xff }, ours.InlineBytes.ToByteArray());
    }

    // Inside an Any, where the bytes are what is compared: the generated class packs repeated numbers.
    [Fact]
    public void RepeatedNumbersArePacked() => SameAsJsonParser<Envoy.Config.Listener.V3.Filter>("""
        {"name": "hcm", "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
          "stat_prefix": "x", "forward_proto_config": {"https_destination_ports": [443, 0, 8443], "http_destination_ports": []},
          "forward_client_cert_details": "SANITIZE_SET", "original_ip_detection_extensions": []}}
        """);

    [Fact]
    public void ClustersWithEnumsMapsStructsAndAnys() => SameAsJsonParser<Cluster>("""
        {
          "name": "c", "type": "STRICT_DNS", "lbPolicy": "LEAST_REQUEST", "connect_timeout": "0.25s",
          "per_connection_buffer_limit_bytes": 0,
          "metadata": {"filter_metadata": {"envoy.lb": {"canary": true, "weight": 3}}},
          "typed_extension_protocol_options": {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
              "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
              "explicit_http_config": {"http2_protocol_options": {}},
              "common_http_protocol_options": {"idle_timeout": "30s", "max_requests_per_connection": 100}
            }
          },
          "load_assignment": {
            "cluster_name": "c",
            "endpoints": [{"lb_endpoints": [
              {"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}}, "load_balancing_weight": 2},
              {"endpoint": {"address": {"socket_address": {"address": "::1", "port_value": 8080, "ipv4_compat": false}}}}
            ]}]
          }
        }
        """);

    [Fact]
    public void AnysInsideAnysAndWellKnownAnys() => SameAsJsonParser<Listener>("""
        {
          "name": "l",
          "address": {"socket_address": {"address": "0.0.0.0", "port_value": 10000}},
          "filter_chains": [{"filters": [{
            "name": "envoy.filters.network.http_connection_manager",
            "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              "stat_prefix": "ingress", "codec_type": "AUTO",
              "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}],
              "route_config": {"virtual_hosts": [{"name": "v", "domains": ["*"], "routes": [
                {"match": {"prefix": "/"}, "route": {"cluster": "c", "timeout": "0s"},
                 "typed_per_filter_config": {"x": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "2s"}}}]}]}
            }
          }]}]
        }
        """);

    [Fact]
    public void AnAnyOfAnUnknownTypeKeepsItsTypeUrlAndNothingElse()
    {
        var listener = ConfigParser.ParseJson<Listener>("""
            {"filter_chains": [{"filters": [{"name": "f", "typed_config": {"@type": "type.googleapis.com/acme.Unknown", "x": 1}}]}]}
            """, ConfigLoadOptions.Strict);
        var any = listener.FilterChains[0].Filters[0].TypedConfig;
        Assert.Equal("type.googleapis.com/acme.Unknown", any.TypeUrl);
        Assert.True(any.Value.IsEmpty);
    }

    [Fact]
    public void KeyOrderAndSpellingDoNotChangeTheBytes()
    {
        var a = ConfigParser.ParseJson<Cluster>("""{"name": "c", "connect_timeout": "1s", "lb_policy": "RANDOM"}""", ConfigLoadOptions.Strict);
        var b = ConfigParser.ParseJson<Cluster>("""{"lbPolicy": "random", "connectTimeout": "1.000s", "name": "c"}""", ConfigLoadOptions.Strict);
        Assert.Equal(a.ToByteString(), b.ToByteString());
    }
}
