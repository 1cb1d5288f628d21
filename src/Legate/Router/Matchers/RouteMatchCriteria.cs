using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router.Matchers;

/// <summary>Everything in a RouteMatch: path specifier AND headers AND query parameters AND the rest.</summary>
internal sealed class RouteMatchCriteria
{
    private readonly HeaderMatcher[] _headers;
    private readonly QueryParameterMatcher[] _queryParameters;
    private readonly bool _grpc;
    private readonly FractionalPercent? _runtimeFraction;
    private readonly bool? _tlsPresented;
    private readonly bool? _tlsValidated;

    public RouteMatchCriteria(Proto.RouteMatch match, bool ignorePathParameters, string path)
    {
        Path = PathMatcher.Compile(match, ignorePathParameters, path);
        _headers = HeaderMatcher.CompileAll(match.Headers, ConfigPath.Join(path, "headers"));
        _queryParameters = QueryParameterMatcher.CompileAll(match.QueryParameters, ConfigPath.Join(path, "query_parameters"));
        _grpc = match.Grpc is not null;
        if (match.RuntimeFraction is not null)
        {
            _runtimeFraction = FractionalPercent.From(match.RuntimeFraction.DefaultValue);
        }
        if (match.TlsContext is not null)
        {
            _tlsPresented = match.TlsContext.Presented;
            _tlsValidated = match.TlsContext.Validated;
        }
        if (match.DynamicMetadata.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "dynamic_metadata"), "dynamic_metadata route matching is not supported");
        }
        if (match.FilterState.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "filter_state"), "filter_state route matching is not supported");
        }
        if (match.Cookies.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "cookies"), "cookie route matching is not supported");
        }
    }

    public PathMatcher Path { get; }

    public bool Matches(in RouteRequest request)
    {
        if (_runtimeFraction is { } fraction && !fraction.Enabled(request.RandomValue))
        {
            return false;
        }
        if (!Path.Matches(request))
        {
            return false;
        }
        if (_grpc && !IsGrpc(request.FirstHeaderValue("content-type")))
        {
            return false;
        }
        if (_headers.Length > 0 && !HeaderMatcher.MatchAll(_headers, request))
        {
            return false;
        }
        if (_queryParameters.Length > 0 && !QueryParameterMatcher.MatchAll(_queryParameters, request.Path))
        {
            return false;
        }
        if (_tlsPresented is { } presented && presented != request.PeerCertificatePresented)
        {
            return false;
        }
        return _tlsValidated is not { } validated || validated == request.PeerCertificateValidated;
    }

    /// <summary>application/grpc, application/grpc+proto, application/grpc;charset=... (Envoy's hasGrpcContentType).</summary>
    internal static bool IsGrpc(string? contentType)
    {
        const string Grpc = "application/grpc";
        if (contentType is null || !contentType.StartsWith(Grpc, StringComparison.Ordinal))
        {
            return false;
        }
        return contentType.Length == Grpc.Length || contentType[Grpc.Length] == '+' || contentType[Grpc.Length] == ';';
    }
}
