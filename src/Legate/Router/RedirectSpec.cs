using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Legate.Config;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>
/// Builds the `location` of a redirect the way Envoy's Http::Utility::newUri does: scheme, host
/// (dropping a default port when the scheme changes or a port is set), port, path, query.
/// With no RedirectAction (direct_response 201/3xx) it rebuilds the request URL.
/// </summary>
internal sealed class RedirectSpec
{
    private readonly string? _scheme;
    private readonly string? _host;
    private readonly string _portSuffix;
    private readonly string? _pathRedirect;
    private readonly bool _pathRedirectHasQuery;
    private readonly string? _prefixRewrite;
    private readonly Regex? _regex;
    private readonly string? _substitution;
    private readonly bool _stripQuery;
    private readonly bool _tlsRedirect;

    private RedirectSpec(string? scheme, string? host, string portSuffix, string? pathRedirect, string? prefixRewrite,
        Regex? regex, string? substitution, bool stripQuery, int responseCode, bool tlsRedirect)
    {
        _scheme = scheme;
        _host = host;
        _portSuffix = portSuffix;
        _pathRedirect = pathRedirect;
        _pathRedirectHasQuery = pathRedirect is not null && pathRedirect.Contains('?', StringComparison.Ordinal);
        _prefixRewrite = prefixRewrite;
        _regex = regex;
        _substitution = substitution;
        _stripQuery = stripQuery;
        ResponseCode = responseCode;
        _tlsRedirect = tlsRedirect;
    }

    public int ResponseCode { get; }

    /// <summary>No redirect config: the request's own URL (direct_response location).</summary>
    public static readonly RedirectSpec RequestUrl = new(null, null, string.Empty, null, null, null, null, false, 0, false);

    /// <summary>require_tls: `https://` + host + path, 301.</summary>
    public static readonly RedirectSpec Tls = new("https", null, string.Empty, null, null, null, null, false, 301, true);

    public static RedirectSpec Compile(Proto.RedirectAction redirect, string path)
    {
        string? scheme = redirect.SchemeRewriteSpecifierCase switch
        {
            Proto.RedirectAction.SchemeRewriteSpecifierOneofCase.SchemeRedirect when redirect.SchemeRedirect.Length > 0 => redirect.SchemeRedirect,
            Proto.RedirectAction.SchemeRewriteSpecifierOneofCase.HttpsRedirect when redirect.HttpsRedirect => "https",
            _ => null,
        };
        var port = redirect.PortRedirect != 0 ? ":" + redirect.PortRedirect.ToString(CultureInfo.InvariantCulture) : string.Empty;
        string? pathRedirect = null;
        string? prefixRewrite = null;
        Regex? regex = null;
        string? substitution = null;
        switch (redirect.PathRewriteSpecifierCase)
        {
            case Proto.RedirectAction.PathRewriteSpecifierOneofCase.PathRedirect when redirect.PathRedirect.Length > 0:
                pathRedirect = redirect.PathRedirect;
                break;
            case Proto.RedirectAction.PathRewriteSpecifierOneofCase.PrefixRewrite when redirect.PrefixRewrite.Length > 0:
                prefixRewrite = redirect.PrefixRewrite;
                break;
            case Proto.RedirectAction.PathRewriteSpecifierOneofCase.RegexRewrite:
                var regexPath = ConfigPath.Join(path, "regex_rewrite");
                regex = Re2Regex.CompileSearch(RequirePattern(redirect.RegexRewrite, regexPath), ConfigPath.Join(regexPath, "pattern.regex"));
                substitution = Re2Regex.TranslateSubstitution(redirect.RegexRewrite.Substitution);
                break;
        }
        var code = redirect.ResponseCode switch
        {
            Proto.RedirectAction.Types.RedirectResponseCode.Found => 302,
            Proto.RedirectAction.Types.RedirectResponseCode.SeeOther => 303,
            Proto.RedirectAction.Types.RedirectResponseCode.TemporaryRedirect => 307,
            Proto.RedirectAction.Types.RedirectResponseCode.PermanentRedirect => 308,
            _ => 301,
        };
        var host = redirect.HostRedirect.Length > 0 ? redirect.HostRedirect : null;
        return new RedirectSpec(scheme, host, port, pathRedirect, prefixRewrite, regex, substitution, redirect.StripQuery, code, false);
    }

    internal static string RequirePattern(Envoy.Type.Matcher.V3.RegexMatchAndSubstitute rewrite, string path)
    {
        if (rewrite.Pattern is null || rewrite.Pattern.Regex.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "pattern.regex"), "regex must not be empty");
        }
        return rewrite.Pattern.Regex;
    }

    /// <param name="request">The downstream request.</param>
    /// <param name="matchedLength">Characters of the path the route matched (for prefix_rewrite).</param>
    public string BuildLocation(in RouteRequest request, int matchedLength)
    {
        var requestPath = request.Path ?? "/";
        if (_tlsRedirect)
        {
            return "https://" + request.Authority + requestPath;
        }
        // 1. The route's path rewrite for redirects (prefix_rewrite / regex_rewrite) changes :path first.
        var path = requestPath;
        if (_prefixRewrite is not null)
        {
            path = string.Concat(_prefixRewrite, path.AsSpan(Math.Min(matchedLength, path.Length)));
        }
        else if (_regex is not null)
        {
            var pathLength = PathText.PathLength(path);
            var rewritten = _regex.Replace(path[..pathLength], _substitution!);
            if (rewritten.Length > 0)
            {
                path = string.Concat(rewritten, path.AsSpan(pathLength));
            }
        }

        var scheme = _scheme ?? request.Scheme ?? "http";
        var host = _host ?? RequestHost(request, scheme, _portSuffix);

        if (_pathRedirect is not null)
        {
            if (_pathRedirectHasQuery)
            {
                path = _pathRedirect;
            }
            else
            {
                var query = path.IndexOf('?');
                path = query < 0 ? _pathRedirect : string.Concat(_pathRedirect, path.AsSpan(query));
            }
        }
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }
        if (!_pathRedirectHasQuery && _stripQuery)
        {
            var query = path.IndexOf('?');
            if (query >= 0)
            {
                path = path[..query];
            }
        }
        var location = new StringBuilder(scheme.Length + host.Length + _portSuffix.Length + path.Length + 3);
        return location.Append(scheme).Append("://").Append(host).Append(_portSuffix).Append(path).ToString();
    }

    /// <summary>Envoy's processRequestHost: drop the port when a new one is set, or when the scheme changes away from a default port.</summary>
    private static string RequestHost(in RouteRequest request, string newScheme, string newPort)
    {
        var host = request.Authority ?? string.Empty;
        if (host.Length == 0)
        {
            return host;
        }
        int portStart;
        if (host[0] == '[')
        {
            portStart = host.LastIndexOf("]:", StringComparison.Ordinal);
            if (portStart >= 0)
            {
                portStart++;
            }
        }
        else
        {
            portStart = host.LastIndexOf(':');
        }
        if (portStart < 0)
        {
            return host;
        }
        var port = host.AsSpan(portStart);
        var protocol = request.ForwardedProto;
        var remove = newPort.Length > 0;
        if (!string.Equals(newScheme, protocol, StringComparison.Ordinal))
        {
            remove |= string.Equals(protocol, "https", StringComparison.OrdinalIgnoreCase) && port.SequenceEqual(":443");
            remove |= string.Equals(protocol, "http", StringComparison.OrdinalIgnoreCase) && port.SequenceEqual(":80");
        }
        return remove ? host[..portStart] : host;
    }
}
