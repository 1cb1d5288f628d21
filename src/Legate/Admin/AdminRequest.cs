using Microsoft.Extensions.Primitives;

namespace Legate.Admin;

/// <summary>One admin request: method, path (without the query) and decoded query parameters.</summary>
public sealed class AdminRequest
{
    public AdminRequest(string method, string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        Method = method;
        Path = path;
        Query = query;
    }

    public string Method { get; }

    public string Path { get; }

    /// <summary>Query (and, for POST forms, body) parameters in request order; a bare key has an empty value.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public bool Has(string name)
    {
        foreach (var p in Query)
        {
            if (p.Key == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The first value of <paramref name="name"/>, or null when absent.</summary>
    public string? Get(string name)
    {
        foreach (var p in Query)
        {
            if (p.Key == name)
            {
                return p.Value;
            }
        }
        return null;
    }

    /// <summary>Splits "a=1&amp;b&amp;c=x%20y" the way Envoy decodes admin query strings.</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string? query)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(query))
        {
            return result;
        }
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        foreach (var (key, values) in parsed)
        {
            foreach (var value in (StringValues)values)
            {
                result.Add(new(key, value ?? string.Empty));
            }
        }
        return result;
    }
}
