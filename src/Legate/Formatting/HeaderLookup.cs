using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Legate.Formatting;

/// <summary>
/// Finds header values the way Envoy's formatters and access-log filters see them: the first value of a
/// header, and the request pseudo headers (:method, :path, :authority, :scheme) from the request line,
/// because Kestrel keeps those out of its header dictionary.
/// </summary>
internal static class HeaderLookup
{
    public const string Method = ":method";
    public const string Path = ":path";
    public const string Authority = ":authority";
    public const string Scheme = ":scheme";

    /// <summary>The first value of request header <paramref name="lowerName"/>; null when absent.</summary>
    public static string? Request(in FormatContext context, string lowerName)
    {
        if (lowerName.Length > 0 && lowerName[0] == ':')
        {
            var line = context.Request;
            switch (lowerName)
            {
                case Method:
                    return line?.Method;
                case Path:
                    return line?.Path;
                case Authority:
                    return line is not null ? line.Authority : First(context.RequestHeaders, "host");
                case Scheme:
                    return line?.Scheme;
                default:
                    return null;
            }
        }
        return First(context.RequestHeaders, lowerName);
    }

    /// <summary>All values of request header <paramref name="lowerName"/> joined by ',' (header matchers see this).</summary>
    public static string? RequestJoined(in FormatContext context, string lowerName)
    {
        if (lowerName.Length > 0 && lowerName[0] == ':')
        {
            return Request(context, lowerName);
        }
        var headers = context.RequestHeaders;
        if (headers is null || !headers.TryGetValue(lowerName, out var values) || values.Count == 0)
        {
            return null;
        }
        return values.Count == 1 ? values[0] : string.Join(',', values.ToArray());
    }

    public static string? First(IHeaderDictionary? headers, string name)
    {
        if (headers is null || !headers.TryGetValue(name, out StringValues values) || values.Count == 0)
        {
            return null;
        }
        return values[0];
    }
}
