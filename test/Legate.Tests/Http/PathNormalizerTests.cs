using Legate.Http;

namespace Legate.Tests.Http;

public class PathNormalizerTests
{
    [Theory]
    [InlineData("/a/./b/../c", true, false, "/a/c")]
    [InlineData("/a/b/..", true, false, "/a/")]
    [InlineData("/%61%62c/%2F", true, false, "/abc/%2F")]
    [InlineData("/a//b///c?x=//y", false, true, "/a/b/c?x=//y")]
    [InlineData("/../x", true, false, "/x")]
    [InlineData("/a/%zz", true, false, null)]
    [InlineData("noslash", true, false, null)]
    public void Normalizes_like_envoy(string input, bool normalize, bool merge, string? expected)
    {
        Assert.Equal(expected, PathNormalizer.Normalize(input, normalize, merge));
    }
}
