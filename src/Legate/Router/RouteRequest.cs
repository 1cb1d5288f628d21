using Microsoft.AspNetCore.Http;

namespace Legate.Router;

/// <summary>
/// The parts of a downstream request that route selection reads. Built once per request by the
/// router filter; pseudo headers come from the properties, everything else from <see cref="Headers"/>.
/// </summary>
public readonly struct RouteRequest
{
    /// <summary>Host / :authority as received (null when the request had none).</summary>
    public string? Authority { get; init; }

    /// <summary>Raw :path including the query string.</summary>
    public string Path { get; init; }

    public string Method { get; init; }

    /// <summary>:scheme (http / https).</summary>
    public string Scheme { get; init; }

    public IHeaderDictionary? Headers { get; init; }

    /// <summary>Per-request random value (Envoy uses the stream id) for runtime_fraction and weighted clusters.</summary>
    public ulong RandomValue { get; init; }

    /// <summary>For RouteMatch.tls_context: the downstream peer presented a certificate.</summary>
    public bool PeerCertificatePresented { get; init; }

    /// <summary>For RouteMatch.tls_context: the downstream peer certificate was validated.</summary>
    public bool PeerCertificateValidated { get; init; }

    /// <summary>First value of a request header, or null when absent.</summary>
    internal string? FirstHeaderValue(string name)
    {
        if (Headers is null || !Headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }
        return values[0];
    }

    /// <summary>x-forwarded-proto when the connection manager set it, else :scheme (what Envoy's getForwardedProtoValue sees).</summary>
    internal string ForwardedProto => FirstHeaderValue("x-forwarded-proto") ?? Scheme ?? string.Empty;
}
