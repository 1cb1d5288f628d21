using Legate.Config;
using Legate.Formatting;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>What every route of one route configuration shares while being compiled.</summary>
internal sealed class RouteBuildScope
{
    public required Func<string, ISubstitutionFormatter> Formatter { get; init; }
    public Func<string, bool>? ClusterExists { get; init; }
    public bool MostSpecificHeaderMutationsWins { get; init; }
    public bool IgnorePathParameters { get; init; }
    public uint MaxDirectResponseBodyBytes { get; init; }
    public HeaderMutationLevel? ConfigRequestLevel { get; init; }
    public HeaderMutationLevel? ConfigResponseLevel { get; init; }
    public IReadOnlyList<MirrorPolicyEntry> ConfigMirrorPolicies { get; init; } = [];

    /// <summary>Orders route / vhost / config levels as Envoy evaluates them.</summary>
    public HeaderMutationSet Combine(HeaderMutationLevel? route, HeaderMutationLevel? virtualHost, HeaderMutationLevel? config) =>
        MostSpecificHeaderMutationsWins ? HeaderMutationSet.Of(config, virtualHost, route) : HeaderMutationSet.Of(route, virtualHost, config);
}

/// <summary>Compiles one Route into a <see cref="RouteEntry"/>.</summary>
internal static class RouteEntryFactory
{
    public static RouteEntry Create(Proto.Route route, string path, VirtualHostEntry virtualHost, RouteBuildScope scope)
    {
        if (route.Match is null)
        {
            throw new ConfigException(ConfigPath.Join(path, "match"), "match is required");
        }
        var match = new RouteMatchCriteria(route.Match, scope.IgnorePathParameters, ConfigPath.Join(path, "match"));
        var kind = route.ActionCase switch
        {
            Proto.Route.ActionOneofCase.Route_ => RouteActionKind.Route,
            Proto.Route.ActionOneofCase.Redirect => RouteActionKind.Redirect,
            Proto.Route.ActionOneofCase.DirectResponse => RouteActionKind.DirectResponse,
            Proto.Route.ActionOneofCase.NonForwardingAction => RouteActionKind.NonForwarding,
            Proto.Route.ActionOneofCase.FilterAction => RouteActionKind.FilterAction,
            _ => throw new ConfigException(path, "one of route, redirect, direct_response, filter_action or non_forwarding_action must be set"),
        };
        var routeRequest = HeaderMutationLevel.Compile(route.RequestHeadersToAdd, ConfigPath.Join(path, "request_headers_to_add"),
            route.RequestHeadersToRemove, ConfigPath.Join(path, "request_headers_to_remove"), scope.Formatter);
        var routeResponse = HeaderMutationLevel.Compile(route.ResponseHeadersToAdd, ConfigPath.Join(path, "response_headers_to_add"),
            route.ResponseHeadersToRemove, ConfigPath.Join(path, "response_headers_to_remove"), scope.Formatter);
        var spec = new RouteEntrySpec
        {
            Name = route.Name,
            VirtualHost = virtualHost,
            Kind = kind,
            Config = route,
            Match = match,
            RequestHeaderMutations = scope.Combine(routeRequest, virtualHost.RequestLevel, scope.ConfigRequestLevel),
            ResponseHeaderMutations = scope.Combine(routeResponse, virtualHost.ResponseLevel, scope.ConfigResponseLevel),
            RetryPolicy = virtualHost.RetryPolicy,
            MirrorPolicies = virtualHost.MirrorPolicies.Count > 0 ? virtualHost.MirrorPolicies : scope.ConfigMirrorPolicies,
        };
        switch (kind)
        {
            case RouteActionKind.Route:
                RouteActionCompiler.Compile(route.Route_, ConfigPath.Join(path, "route"), match, spec, scope);
                break;
            case RouteActionKind.Redirect:
                spec.Redirect = RedirectSpec.Compile(route.Redirect, ConfigPath.Join(path, "redirect"));
                break;
            case RouteActionKind.DirectResponse:
                var directPath = ConfigPath.Join(path, "direct_response");
                var status = route.DirectResponse.Status;
                if (status < 200 || status > 599)
                {
                    throw new ConfigException(ConfigPath.Join(directPath, "status"), "status must be in [200, 600)");
                }
                spec.DirectResponseStatus = (int)status;
                spec.DirectResponseBody = DirectResponseBody.Load(route.DirectResponse.Body, scope.MaxDirectResponseBodyBytes,
                    ConfigPath.Join(directPath, "body"));
                break;
        }
        return new RouteEntry(spec);
    }

    /// <summary>The synthetic route a require_tls virtual host answers plain-text requests with.</summary>
    public static RouteEntry CreateTlsRedirect(VirtualHostEntry virtualHost) => new(new RouteEntrySpec
    {
        Name = string.Empty,
        VirtualHost = virtualHost,
        Kind = RouteActionKind.Redirect,
        Redirect = RedirectSpec.Tls,
    });
}
