namespace Legate.Http;

/// <summary>The connection manager's codec and timeout settings, with Envoy's defaults applied.</summary>
public sealed class HttpConnectionManagerSettings
{
    public CodecKind Codec { get; init; }

    /// <summary>Value of the <c>server</c> header (server_name, default "envoy").</summary>
    public string ServerName { get; init; } = "envoy";

    public ServerHeaderMode ServerHeader { get; init; }

    /// <summary>stream_idle_timeout, default 5 min; null = disabled.</summary>
    public TimeSpan? StreamIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>request_timeout, default disabled.</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>request_headers_timeout, default disabled.</summary>
    public TimeSpan? RequestHeadersTimeout { get; init; }

    /// <summary>common_http_protocol_options.idle_timeout, default 1 h.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan? MaxStreamDuration { get; init; }

    public TimeSpan? MaxConnectionDuration { get; init; }

    /// <summary>max_request_headers_kb, default 60.</summary>
    public int MaxRequestHeadersKb { get; init; } = 60;

    /// <summary>common_http_protocol_options.max_headers_count, default 100.</summary>
    public int MaxHeadersCount { get; init; } = 100;

    public bool NormalizePath { get; init; }

    public bool MergeSlashes { get; init; }

    public bool AcceptHttp10 { get; init; }

    /// <summary>Upgrade types enabled at connection-manager level (lower-case).</summary>
    public IReadOnlyDictionary<string, bool> Upgrades { get; init; } = new Dictionary<string, bool>();

    /// <summary>HTTP/2 max_concurrent_streams, default 2^31-1.</summary>
    public int Http2MaxConcurrentStreams { get; init; } = int.MaxValue;

    public int? Http2InitialStreamWindowSize { get; init; }

    public int? Http2InitialConnectionWindowSize { get; init; }
}

public enum CodecKind
{
    Auto,
    Http1,
    Http2,
    Http3,
}

public enum ServerHeaderMode
{
    Overwrite,
    AppendIfAbsent,
    PassThrough,
}
