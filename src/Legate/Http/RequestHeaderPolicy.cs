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

    public void Apply(HttpStream stream, bool isTls)
    {
        var headers = stream.Context.Request.Headers;
        var peer = stream.Info.DownstreamDirectRemoteAddress;
        var proto = isTls ? "https" : "http";

        // One pass over what arrived instead of a dictionary probe per header Envoy strips: most requests
        // carry none of them.
        var (hasEnvoyHeaders, hasProxyConnection) = Scan(headers);
        if (stream.UpgradeType is null)
        {
            headers.Remove("connection");
            headers.Remove("upgrade");
        }
        headers.Remove("keep-alive");
        if (hasProxyConnection)
        {
            headers.Remove("proxy-connection");
        }
        if (hasEnvoyHeaders)
        {
            headers.Remove("x-envoy-internal");
        }

        var xff = headers["x-forwarded-for"];
        var hadXff = !StringValues.IsNullOrEmpty(xff);
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
            if (_xffNumTrustedHops == 0 || StringValues.IsNullOrEmpty(headers["x-forwarded-proto"]))
            {
                headers["x-forwarded-proto"] = proto;
            }
        }
        else if (hadXff)
        {
            trusted = NthFromRight(xff, (int)_xffNumTrustedHops + 1);
        }

        if (StringValues.IsNullOrEmpty(headers["x-forwarded-proto"]))
        {
            headers["x-forwarded-proto"] = proto;
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
            var existing = headers["x-request-id"];
            if (StringValues.IsNullOrEmpty(existing) || (isEdge && !_preserveExternalRequestId))
            {
                headers["x-request-id"] = RequestIds.Next();
            }
        }

        if (_sanitizeClientCert)
        {
            headers.Remove("x-forwarded-client-cert");
        }
    }

    private static (bool EnvoyHeaders, bool ProxyConnection) Scan(IHeaderDictionary headers)
    {
        bool envoy = false, proxyConnection = false;
        foreach (var header in headers)
        {
            var name = header.Key;
            envoy |= name.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase);
            proxyConnection |= name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase);
        }
        return (envoy, proxyConnection);
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
