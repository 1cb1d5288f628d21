using System.Text;

namespace Legate.Http;

/// <summary>
/// Envoy's <c>normalize_path</c> (RFC 3986 dot-segment removal, decoding of percent-encoded unreserved
/// characters) and <c>merge_slashes</c>, applied to the path part only; the query is kept as received.
/// </summary>
public static class PathNormalizer
{
    /// <returns>The normalized path with its query, or null when the path cannot be normalized (400).</returns>
    public static string? Normalize(string rawPath, bool normalize, bool mergeSlashes)
    {
        var q = rawPath.IndexOf('?');
        var path = q < 0 ? rawPath : rawPath[..q];
        var query = q < 0 ? string.Empty : rawPath[q..];
        if (path.Length == 0 || path[0] != '/')
        {
            return null;
        }
        if (normalize)
        {
            var decoded = DecodeUnreserved(path);
            if (decoded is null)
            {
                return null;
            }
            path = RemoveDotSegments(decoded.Replace('\\', '/'));
        }
        if (mergeSlashes && path.Contains("//", StringComparison.Ordinal))
        {
            var sb = new StringBuilder(path.Length);
            foreach (var c in path)
            {
                if (c == '/' && sb.Length > 0 && sb[^1] == '/')
                {
                    continue;
                }
                sb.Append(c);
            }
            path = sb.ToString();
        }
        return path + query;
    }

    private static string? DecodeUnreserved(string path)
    {
        if (!path.Contains('%'))
        {
            return path;
        }
        var sb = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (i + 2 >= path.Length || !Uri.IsHexDigit(path[i + 1]) || !Uri.IsHexDigit(path[i + 2]))
            {
                return null;
            }
            var value = (char)Convert.ToInt32(path.Substring(i + 1, 2), 16);
            if (char.IsAsciiLetterOrDigit(value) || value is '-' or '.' or '_' or '~')
            {
                sb.Append(value);
            }
            else
            {
                sb.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
            }
            i += 2;
        }
        return sb.ToString();
    }

    private static string RemoveDotSegments(string path)
    {
        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s == ".")
            {
                if (i == segments.Length - 1)
                {
                    output.Add(string.Empty);
                }
                continue;
            }
            if (s == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }
                if (i == segments.Length - 1)
                {
                    output.Add(string.Empty);
                }
                continue;
            }
            output.Add(s);
        }
        return "/" + string.Join('/', output);
    }
}
