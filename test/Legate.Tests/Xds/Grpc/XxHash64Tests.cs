using Legate.Xds.Grpc;

namespace Legate.Tests.Xds.Grpc;

public sealed class XxHash64Tests
{
    // Reference values from the xxHash C library (XXH64, seed 0).
    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("1", 0xB7B41276360564D4UL)]
    [InlineData("2024-01-01T00:00:00Z/v17", 0xD97A653136802383UL)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x0B242D361FDA71BCUL)]
    public void MatchesTheReferenceImplementation(string text, ulong expected) => Assert.Equal(expected, XxHash64.Of(text));
}
