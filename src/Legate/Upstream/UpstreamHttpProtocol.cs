namespace Legate.Upstream;

/// <summary>Which HTTP version a cluster speaks upstream.</summary>
public enum UpstreamHttpProtocol
{
    /// <summary>HTTP/1.1 (Envoy's default).</summary>
    Http1,

    /// <summary>HTTP/2; cleartext clusters use h2c with prior knowledge.</summary>
    Http2,

    /// <summary>The downstream request's version (use_downstream_protocol_config / USE_DOWNSTREAM_PROTOCOL).</summary>
    UseDownstream,

    /// <summary>auto_config: ALPN-negotiated over TLS; without TLS it is HTTP/1.1.</summary>
    Auto,
}
