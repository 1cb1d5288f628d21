using Legate.Config;
using Legate.Router.Matchers;

namespace Legate.Tests.Router;

public class Re2RegexTests
{
    [Theory]
    [InlineData(@"\d+", "123", true)]
    [InlineData(@"\d+", "١٢٣", false)] // RE2's \d is ASCII only
    [InlineData(@"\w+", "abc_1", true)]
    [InlineData(@"[[:alpha:]]+", "abc", true)]
    [InlineData(@"[[:digit:]x]+", "1x2", true)]
    [InlineData(@"(?P<id>[a-z]+)-\d", "ab-1", true)]
    [InlineData(@"abc$", "abc", true)]
    [InlineData(@"abc$", "abc\n", false)] // RE2's $ is end of text only
    [InlineData(@"\Qa.b\E", "a.b", true)]
    [InlineData(@"\Qa.b\E", "axb", false)]
    [InlineData(@"\pL+", "héllo", true)]
    [InlineData(@"(?i)abc", "ABC", true)]
    [InlineData(@"[]a]+", "]a", true)]
    public void FullMatchSemantics(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, Re2Regex.CompileFullMatch(pattern, "p").IsMatch(input));
    }

    [Fact]
    public void BackReferencesAreRejected()
    {
        var error = Assert.Throws<ConfigException>(() => Re2Regex.CompileFullMatch(@"(a)\k<x>", "match.safe_regex.regex"));
        Assert.Equal("match.safe_regex.regex", error.FieldPath);
    }

    [Theory]
    [InlineData(@"\1-\2", "${1}-${2}")]
    [InlineData(@"$1", "$$1")]
    [InlineData(@"a\\b", @"a\b")]
    public void Substitutions(string re2, string dotnet)
    {
        Assert.Equal(dotnet, Re2Regex.TranslateSubstitution(re2));
    }
}
