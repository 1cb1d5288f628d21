using System.Text.RegularExpressions;

namespace Legate.Router;

public enum HostRewriteKind
{
    None,

    /// <summary>host_rewrite_literal.</summary>
    Literal,

    /// <summary>auto_host_rewrite: the router uses the chosen upstream host's hostname.</summary>
    AutoHostRewrite,

    /// <summary>host_rewrite_header: first value of a request header.</summary>
    Header,

    /// <summary>host_rewrite_path_regex: regex substitution on the path without query.</summary>
    PathRegex,
}

/// <summary>RouteAction's host_rewrite_specifier and append_x_forwarded_host, compiled.</summary>
public sealed class HostRewrite
{
    public static readonly HostRewrite None = new(HostRewriteKind.None, null, null, null, null, false);

    private readonly Regex? _regex;
    private readonly string? _substitution;

    internal HostRewrite(HostRewriteKind kind, string? literal, string? headerName, Regex? regex, string? substitution, bool appendXForwardedHost)
    {
        Kind = kind;
        Literal = literal;
        HeaderName = headerName;
        _regex = regex;
        _substitution = substitution;
        AppendXForwardedHost = appendXForwardedHost;
    }

    public HostRewriteKind Kind { get; }

    public string? Literal { get; }

    public string? HeaderName { get; }

    /// <summary>Append the original host to x-forwarded-host when the authority is rewritten.</summary>
    public bool AppendXForwardedHost { get; }

    /// <summary>
    /// The new :authority for Literal / Header / PathRegex (null = leave unchanged, as Envoy does when
    /// the header is missing or the result is empty). AutoHostRewrite needs the upstream host, so it
    /// returns null here and the router filter applies it after host selection.
    /// </summary>
    public string? NewAuthority(in RouteRequest request)
    {
        string? host = Kind switch
        {
            HostRewriteKind.Literal => Literal,
            HostRewriteKind.Header => request.FirstHeaderValue(HeaderName!),
            HostRewriteKind.PathRegex => _regex!.Replace(request.Path[..PathText.PathLength(request.Path)], _substitution!),
            _ => null,
        };
        return string.IsNullOrEmpty(host) ? null : host;
    }
}
