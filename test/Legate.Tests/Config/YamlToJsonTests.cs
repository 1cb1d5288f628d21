using System.Text.Json.Nodes;
using Legate.Config;

namespace Legate.Tests.Config;

public class YamlToJsonTests
{
    private static string Json(string yaml) => YamlToJson.Convert(yaml)!.ToJsonString();

    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Yes", "true")]
    [InlineData("YES", "true")]
    [InlineData("y", "true")]
    [InlineData("on", "true")]
    [InlineData("True", "true")]
    [InlineData("no", "false")]
    [InlineData("N", "false")]
    [InlineData("off", "false")]
    [InlineData("FALSE", "false")]
    [InlineData("yEs", "\"yEs\"")]
    [InlineData("007", "7")]
    [InlineData("010", "8")]
    [InlineData("0o17", "15")]
    [InlineData("0x1F", "31")]
    [InlineData("-42", "-42")]
    [InlineData("+5", "5")]
    [InlineData("2147483647", "2147483647")]
    [InlineData("2147483648", "\"2147483648\"")]
    [InlineData("-2147483649", "\"-2147483649\"")]
    [InlineData("0xFFFFFFFF", "\"4294967295\"")]
    [InlineData("9223372036854775807", "\"9223372036854775807\"")]
    [InlineData("18446744073709551615", "\"18446744073709551615\"")]
    [InlineData("08", "\"08\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("0.25s", "\"0.25s\"")]
    [InlineData("127.0.0.1", "\"127.0.0.1\"")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("", "null")]
    public void PlainScalarsAreTypedLikeEnvoy(string scalar, string expected)
    {
        Assert.Equal("{\"v\":" + expected + "}", Json("v: " + scalar));
    }

    [Theory]
    [InlineData("\"8080\"")]
    [InlineData("'yes'")]
    [InlineData("!!str 8080")]
    public void QuotedOrTaggedScalarsAreStrings(string scalar)
    {
        var node = YamlToJson.Convert("v: " + scalar)!["v"]!;
        Assert.Equal(System.Text.Json.JsonValueKind.String, node.GetValueKind());
    }

    [Fact]
    public void BlockScalarsAreStrings()
    {
        Assert.Equal("{\"v\":\"123\\n\"}", Json("v: |\n  123\n"));
    }

    [Fact]
    public void SequencesAndNestedMappings()
    {
        Assert.Equal("{\"a\":[1,{\"b\":\"x\"}],\"c\":{\"d\":[]}}", Json("a:\n  - 1\n  - b: x\nc: {d: []}\n"));
    }

    [Fact]
    public void OnlyTheFirstDocumentIsRead()
    {
        Assert.Equal("{\"a\":1}", Json("a: 1\n---\nb: [unclosed\n"));
    }

    [Fact]
    public void EmptyTextIsNull()
    {
        Assert.Null(YamlToJson.Convert(""));
        Assert.Null(YamlToJson.Convert("# only a comment\n"));
    }

    [Fact]
    public void AliasesAreResolvedAsCopies()
    {
        var node = YamlToJson.Convert("base: &b {x: 1}\nuse: *b\n")!;
        Assert.Equal("{\"base\":{\"x\":1},\"use\":{\"x\":1}}", node.ToJsonString());
        Assert.NotSame(node["base"], node["use"]);
    }

    [Fact]
    public void MergeKeyMergesAndExplicitKeysWin()
    {
        Assert.Equal("{\"base\":{\"x\":1,\"y\":2},\"use\":{\"y\":3,\"x\":1}}",
            Json("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n"));
    }

    [Fact]
    public void MergeKeyTakesAListAndEarlierSourcesWin()
    {
        var node = YamlToJson.Convert("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nuse:\n  <<: [*a, *b]\n  w: 0\n")!;
        Assert.Equal("{\"w\":0,\"x\":1,\"z\":3}", node["use"]!.ToJsonString());
    }

    [Fact]
    public void MergeKeyWithAScalarIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => YamlToJson.Convert("s: &s 1\nuse:\n  <<: *s\n"));
        Assert.Contains("merge key", e.Message);
    }

    [Fact]
    public void QuotedMergeKeyIsAnOrdinaryKey()
    {
        Assert.True(YamlToJson.Convert("'<<': 1")!.AsObject().ContainsKey("<<"));
    }

    [Fact]
    public void DuplicateKeyNamesThePath()
    {
        var e = Assert.Throws<ConfigException>(() => YamlToJson.Convert("a:\n  list:\n    - name: x\n      name: y\n"));
        Assert.Equal("a.list[0].name", e.FieldPath);
        Assert.Contains("duplicate key \"name\" at line 4 column 7", e.Message);
    }

    [Fact]
    public void MalformedYamlGivesLineAndColumn()
    {
        var e = Assert.Throws<ConfigException>(() => YamlToJson.Convert("a: 1\nb: [1, 2\nc: 3\n"));
        Assert.Matches(@"^malformed YAML at line \d+ column \d+: \S", e.Message);
        Assert.DoesNotContain("Idx:", e.Message);
    }

    [Fact]
    public void BadIndentationIsMalformed()
    {
        var e = Assert.Throws<ConfigException>(() => YamlToJson.Convert("a:\n  b: 1\n c: 2\n"));
        Assert.StartsWith("malformed YAML at line 3 column", e.Message);
    }

    [Fact]
    public void UnknownAliasIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => YamlToJson.Convert("a: *nope\n"));
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void JsonIsYamlToo()
    {
        var node = YamlToJson.Convert("{\"a\": [1, \"2\", true]}") as JsonObject;
        Assert.Equal("{\"a\":[1,\"2\",true]}", node!.ToJsonString());
    }
}
