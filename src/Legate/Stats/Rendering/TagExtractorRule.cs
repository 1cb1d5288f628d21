using System.Text.RegularExpressions;

namespace Legate.Stats.Rendering;

/// <summary>
/// One tag extractor: a regex (first group removed from the name, second group — or the first — is the
/// value), a token pattern (<c>cluster.$.**</c>: <c>$</c> is the value, <c>*</c> one token, <c>**</c> any
/// number), or a fixed tag every stat carries. <see cref="PrefixToken"/> lets the producer skip rules
/// whose required first token differs from the name's.
/// </summary>
internal abstract class TagExtractorRule
{
    protected TagExtractorRule(string tagName, string prefixToken)
    {
        TagName = tagName;
        PrefixToken = prefixToken;
    }

    public string TagName { get; }

    /// <summary>The first token a name must start with for this rule to apply; empty when any name may match.</summary>
    public string PrefixToken { get; }

    /// <summary>Another rule produces the same tag name; only the first that matches a name counts.</summary>
    public bool SharesName { get; set; }

    /// <summary>Adds the tag and marks the characters to cut from the name; false when the rule does not apply.</summary>
    public abstract bool TryExtract(string name, List<KeyValuePair<string, string>> tags, bool[] remove);

    public static TagExtractorRule FromRegex(string tagName, string pattern, string? substring = null, string? negativeMatch = null) =>
        new RegexRule(tagName, pattern, substring, negativeMatch);

    public static TagExtractorRule FromTokens(string tagName, string pattern) => new TokenRule(tagName, pattern);

    public static TagExtractorRule Fixed(string tagName, string value) => new FixedRule(tagName, value);

    // Envoy only derives a prefix from "^word\." or "^word(?=\.)" (or "^word$").
    private static string RegexPrefix(string pattern)
    {
        if (!pattern.StartsWith('^'))
        {
            return string.Empty;
        }
        var i = 1;
        while (i < pattern.Length && (char.IsAsciiLetterOrDigit(pattern[i]) || pattern[i] == '_'))
        {
            i++;
        }
        if (i == 1 || i >= pattern.Length)
        {
            return string.Empty;
        }
        var rest = pattern.AsSpan(i);
        var last = i == pattern.Length - 1;
        if ((!last && (rest.StartsWith(@"\.") || rest.StartsWith(@"(?=\.)"))) || (last && pattern[i] == '$'))
        {
            return pattern[1..i];
        }
        return string.Empty;
    }

    private sealed class RegexRule(string tagName, string pattern, string? substring, string? negativeMatch)
        : TagExtractorRule(tagName, RegexPrefix(pattern))
    {
        private readonly Regex _regex = new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

        public override bool TryExtract(string name, List<KeyValuePair<string, string>> tags, bool[] remove)
        {
            if (substring is { Length: > 0 } && !name.Contains(substring, StringComparison.Ordinal))
            {
                return false;
            }
            var match = _regex.Match(name);
            if (!match.Success || match.Groups.Count < 2 || !match.Groups[1].Success)
            {
                return false;
            }
            var removed = match.Groups[1];
            var value = match.Groups.Count > 2 && match.Groups[2].Success ? match.Groups[2].Value : removed.Value;
            if (negativeMatch is not null && value == negativeMatch)
            {
                return false;
            }
            tags.Add(new(TagName, value));
            Array.Fill(remove, true, removed.Index, removed.Length);
            return true;
        }
    }

    private sealed class TokenRule : TagExtractorRule
    {
        private readonly string[] _pattern;

        public TokenRule(string tagName, string pattern)
            : base(tagName, pattern.Split('.')[0] is var first && first is not ("*" or "**" or "$") ? first : string.Empty)
        {
            _pattern = pattern.Split('.');
        }

        public override bool TryExtract(string name, List<KeyValuePair<string, string>> tags, bool[] remove)
        {
            var tokens = name.Split('.');
            var capture = -1;
            if (!Match(tokens, 0, 0, ref capture) || capture < 0)
            {
                return false;
            }
            var start = 0;
            for (var i = 0; i < capture; i++)
            {
                start += tokens[i].Length + 1;
            }
            var length = tokens[capture].Length;
            // The value and the dot after it go; a value at the end takes the dot before it instead.
            if (capture < tokens.Length - 1)
            {
                length++;
            }
            else if (start > 0)
            {
                start--;
                length++;
            }
            tags.Add(new(TagName, tokens[capture]));
            Array.Fill(remove, true, start, length);
            return true;
        }

        private bool Match(string[] tokens, int p, int t, ref int capture)
        {
            if (p == _pattern.Length)
            {
                return t == tokens.Length;
            }
            switch (_pattern[p])
            {
                case "**":
                    for (var skip = t; skip <= tokens.Length; skip++)
                    {
                        if (Match(tokens, p + 1, skip, ref capture))
                        {
                            return true;
                        }
                    }
                    return false;
                case "*":
                    return t < tokens.Length && Match(tokens, p + 1, t + 1, ref capture);
                case "$":
                    if (t < tokens.Length && Match(tokens, p + 1, t + 1, ref capture))
                    {
                        capture = t;
                        return true;
                    }
                    return false;
                default:
                    return t < tokens.Length && tokens[t] == _pattern[p] && Match(tokens, p + 1, t + 1, ref capture);
            }
        }
    }

    private sealed class FixedRule(string tagName, string value) : TagExtractorRule(tagName, string.Empty)
    {
        public override bool TryExtract(string name, List<KeyValuePair<string, string>> tags, bool[] remove)
        {
            tags.Add(new(TagName, value));
            return true;
        }
    }
}
