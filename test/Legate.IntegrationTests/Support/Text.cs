namespace Legate.IntegrationTests.Support;

public static class Text
{
    /// <summary>Replaces <paramref name="from"/> exactly <paramref name="count"/> times, failing otherwise (keeps config edits honest).</summary>
    public static string ReplaceExactly(this string text, string from, string to, int count = 1)
    {
        var found = 0;
        for (var i = text.IndexOf(from, StringComparison.Ordinal); i >= 0; i = text.IndexOf(from, i + from.Length, StringComparison.Ordinal))
        {
            found++;
        }
        if (found != count)
        {
            throw new InvalidOperationException($"expected '{from}' {count} time(s), found {found}");
        }
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
