using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using HcmProto = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Http;

/// <summary>
/// The connection manager's request header rules applied before routing (Envoy's
/// <c>mutateRequestHeaders</c>): x-forwarded-for / -proto, internal vs external and the x-envoy-*
/// cleanup, via, x-request-id, x-forwarded-client-cert sanitising.
/// </summary>
public sealed class RequestHeaderPolicy
{
    private static readonly string[] s_externalStripped =
    [
        "x-envoy-retry-on", "x-envoy-retry-grpc-on", "x-envoy-max-retries", "x-envoy-retriable-status-codes",
        "x-envoy-retriable-header-names", "x-envoy-upstream-alt-stat-name", "x-envoy-upstream-rq-timeout-ms",
        "x-envoy-upstream-rq-per-try-timeout-ms", "x-envoy-upstream-rq-timeout-alt-response",
        "x-envoy-expected-rq-timeout-ms", "x-envoy-force-trace", "x-envoy-ip-tags", "x-envoy-original-url",
        "x-envoy-hedge-on-per-try-timeout",
    ];

    private static readonly string[] s_edgeStripped =
    [
        "x-envoy-decorator-operation", "x-envoy-downstream-service-cluster", "x-envoy-downstream-service-node",
    ];

    private readonly bool _useRemoteAddress;
    private readonly uint _xffNumTrustedHops;
    private readonly bool _skipXffAppend;
    private readonly string _via;
    private readonly bool _generateRequestId;
    private readonly bool _preserveExternalRequestId;
    private readonly InternalAddresses _internal;
    private readonly string[] _internalOnlyHeaders;
    private readonly bool _sanitizeClientCert;

    public RequestHeaderPolicy(HcmProto config, InternalAddresses internalAddresses, string[] internalOnlyHeaders)
    {
        _useRemoteAddress = config.UseRemoteAddress ?? false;
        _xffNumTrustedHops = config.XffNumTrustedHops;
        _skipXffAppend = config.SkipXffAppend;
        _via = config.Via;
        _generateRequestId = config.GenerateRequestId ?? true;
        _preserveExternalRequestId = config.PreserveExternalRequestId;
        AlwaysSetRequestIdInResponse = config.AlwaysSetRequestIdInResponse;
        _internal = internalAddresses;
        _internalOnlyHeaders = internalOnlyHeaders;
        _sanitizeClientCert = config.ForwardClientCertDetails != HcmProto.Types.ForwardClientCertDetails.AlwaysForwardOnly;
    }

    public bool AlwaysSetRequestIdInResponse { get; }

    /// <returns>The request's x-forwarded-proto after the rules: what routing sees as the scheme.</returns>
    public string Apply(HttpStream stream, bool isTls)
    {
        var headers = stream.Context.Request.Headers;
        var peer = stream.Info.DownstreamDirectRemoteAddress;
        var proto = isTls ? "https" : "http";

        // One pass over what arrived instead of a dictionary probe per header Envoy strips or reads: most
        // requests carry none of them, and a probe that misses costs a hash and a lookup all the same.
        var present = Scan(headers);
        var hasEnvoyHeaders = (present & Present.EnvoyHeaders) != 0;
        if (stream.UpgradeType is null)
        {
            if ((present & Present.Connection) != 0)
            {
                headers.Remove("connection");
            }
            if ((present & Present.Upgrade) != 0)
            {
                headers.Remove("upgrade");
            }
        }
        if ((present & Present.KeepAlive) != 0)
        {
            headers.Remove("keep-alive");
        }
        if ((present & Present.ProxyConnection) != 0)
        {
            headers.Remove("proxy-connection");
        }
        if (hasEnvoyHeaders)
        {
            headers.Remove("x-envoy-internal");
        }

        var xff = (present & Present.ForwardedFor) != 0 ? headers["x-forwarded-for"] : StringValues.Empty;
        var hadXff = !StringValues.IsNullOrEmpty(xff);
        // StringValues.ToString() is empty exactly when IsNullOrEmpty holds, so one read serves every check below.
        var forwardedProto = (present & Present.ForwardedProto) != 0 ? headers["x-forwarded-proto"].ToString() : string.Empty;
        IPAddress? trusted = null;
        if (_useRemoteAddress)
        {
            trusted = _xffNumTrustedHops > 0 && hadXff ? NthFromRight(xff, (int)_xffNumTrustedHops) : null;
            trusted ??= peer?.Address;
            if (!_skipXffAppend && peer is not null)
            {
                var append = IPAddress.IsLoopback(peer.Address) && stream.Info.DownstreamLocalAddress is { } local
                    ? local.Address
                    : peer.Address;
                var appended = Unmap(append).ToString();
                headers["x-forwarded-for"] = hadXff ? xff.ToString() + ", " + appended : appended;
            }
            if (_xffNumTrustedHops == 0)
            {
                // The edge decides the scheme; what the client said is replaced.
                forwardedProto = string.Empty;
            }
        }
        else if (hadXff)
        {
            trusted = NthFromRight(xff, (int)_xffNumTrustedHops + 1);
        }

        if (forwardedProto.Length == 0)
        {
            headers["x-forwarded-proto"] = proto;
            forwardedProto = proto;
        }

        if (trusted is not null && !_useRemoteAddress)
        {
            stream.Info.DownstreamRemoteAddress = new IPEndPoint(trusted, 0);
        }

        var isInternal = _useRemoteAddress
            ? !hadXff && peer is not null && _internal.IsInternal(peer.Address)
            : hadXff && SingleAddress(xff, out var only) && _internal.IsInternal(only);
        var isEdge = !isInternal && _useRemoteAddress;
        stream.IsInternal = isInternal;
        if (isInternal)
        {
            headers["x-envoy-internal"] = "true";
        }
        else
        {
            if (hasEnvoyHeaders)
            {
                foreach (var name in s_externalStripped)
                {
                    headers.Remove(name);
                }
            }
            foreach (var name in _internalOnlyHeaders)
            {
                headers.Remove(name);
            }
            if (isEdge)
            {
                if (hasEnvoyHeaders)
                {
                    foreach (var name in s_edgeStripped)
                    {
                        headers.Remove(name);
                    }
                }
                if (trusted is not null)
                {
                    headers["x-envoy-external-address"] = Unmap(trusted).ToString();
                }
            }
        }

        if (_via.Length > 0)
        {
            var via = headers["via"];
            headers["via"] = StringValues.IsNullOrEmpty(via) ? _via : via.ToString() + ", " + _via;
        }

        if (_generateRequestId)
        {
            var existing = (present & Present.RequestId) != 0 ? headers["x-request-id"] : StringValues.Empty;
            if (StringValues.IsNullOrEmpty(existing) || (isEdge && !_preserveExternalRequestId))
            {
                headers["x-request-id"] = RequestIds.Next();
            }
        }

        if (_sanitizeClientCert && (present & Present.ClientCert) != 0)
        {
            headers.Remove("x-forwarded-client-cert");
        }
        return forwardedProto;
    }

    private static Present Scan(IHeaderDictionary headers)
    {
        var present = Present.None;
        foreach (var header in headers)
        {
            var name = header.Key;
            if (name.Length < 7)
            {
                continue;
            }
            switch (name[0] | 0x20)
            {
                case 'c':
                    present |= name.Equals("connection", StringComparison.OrdinalIgnoreCase) ? Present.Connection : Present.None;
                    continue;
                case 'u':
                    present |= name.Equals("upgrade", StringComparison.OrdinalIgnoreCase) ? Present.Upgrade : Present.None;
                    continue;
                case 'k':
                    present |= name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) ? Present.KeepAlive : Present.None;
                    continue;
                case 'x' or 'p':
                    break;
                default:
                    continue;
            }
            if (name.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase))
            {
                present |= Present.EnvoyHeaders;
            }
            else if (name.Equals("x-forwarded-for", StringComparison.OrdinalIgnoreCase))
            {
                present |= Present.ForwardedFor;
            }
            else if (name.Equals("x-forwarded-proto", StringComparison.OrdinalIgnoreCase))
            {
                present |= Present.ForwardedProto;
            }
            else if (name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase))
            {
                present |= Present.RequestId;
            }
            else if (name.Equals("x-forwarded-client-cert", StringComparison.OrdinalIgnoreCase))
            {
                present |= Present.ClientCert;
            }
            else if (name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase))
            {
                present |= Present.ProxyConnection;
            }
        }
        return present;
    }

    /// <summary>The request headers the policy reads or strips that arrived with the request.</summary>
    [Flags]
    private enum Present
    {
        None = 0,
        EnvoyHeaders = 1,
        ProxyConnection = 2,
        ForwardedFor = 4,
        ForwardedProto = 8,
        RequestId = 16,
        ClientCert = 32,
        Connection = 64,
        Upgrade = 128,
        KeepAlive = 256,
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The n-th address from the right of a comma-separated x-forwarded-for (1 = rightmost).</summary>
    internal static IPAddress? NthFromRight(StringValues xff, int n)
    {
        var all = xff.ToString().AsSpan();
        var end = all.Length;
        var seen = 0;
        for (var i = all.Length - 1; i >= -1; i--)
        {
            if (i >= 0 && all[i] != ',')
            {
                continue;
            }
            seen++;
            if (seen == n)
            {
                return InternalAddresses.TryParseIp(all[(i + 1)..end], out var ip) ? ip : null;
            }
            end = i;
        }
        return null;
    }

    private static bool SingleAddress(StringValues xff, out IPAddress address)
    {
        var text = xff.ToString();
        if (text.Contains(','))
        {
            address = IPAddress.None;
            return false;
        }
        return InternalAddresses.TryParseIp(text, out address);
    }
}
