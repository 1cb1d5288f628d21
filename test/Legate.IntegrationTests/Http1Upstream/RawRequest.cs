namespace Legate.IntegrationTests.Http1Upstream;

/// <summary>A request as it arrived at a <see cref="RawUpstream"/>: header names as sent, in order; the body without its framing.</summary>
internal sealed record RawRequest(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The first value of a header (names compared case-insensitively), or null.</summary>
    public string? Header(string name)
    {
        foreach (var header in Headers)
        {
            if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }
}
