using Envoy.Config.Core.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Formatting;
using Legate.Http;

namespace Legate.Tests.Formatting;

public class JsonSubstitutionFormatterTests
{
    private static Struct Parse(string json) => JsonParser.Default.Parse<Struct>(json);

    [Fact]
    public void TypedValuesKeepNumbersAndConfigOrder()
    {
        var format = Parse("""
            {"status": "%RESPONSE_CODE%", "method": "%REQ(:METHOD)%", "duration": "%DURATION%", "bytes": "%BYTES_RECEIVED%",
             "port": "%DOWNSTREAM_LOCAL_PORT%", "mixed": "%RESPONSE_CODE% via %PROTOCOL%", "fixed": "literal", "n": 2.5, "b": true,
             "nothing": null}
            """);

        var line = JsonSubstitutionFormatter.Parse(format, "json_format").Format(TestStreams.Context());

        Assert.Equal(
            "{\"status\":204,\"method\":\"POST\",\"duration\":226,\"bytes\":154,\"port\":10000,\"mixed\":\"204 via HTTP/2\"," +
            "\"fixed\":\"literal\",\"n\":2.5,\"b\":true,\"nothing\":null}\n",
            line);
    }

    [Fact]
    public void MissingValuesAreNullInTypedAndDashInsideStrings()
    {
        var format = Parse("""{"host": "%UPSTREAM_HOST%", "duration": "%DURATION%", "both": "%UPSTREAM_HOST%/%ROUTE_NAME%"}""");
        var context = new FormatContext(new StreamInfo(), requestHeaders: null);

        Assert.Equal("{\"host\":null,\"duration\":null,\"both\":\"-/-\"}\n", JsonSubstitutionFormatter.Parse(format, "j").Format(context));
    }

    [Fact]
    public void OmitEmptyValuesDropsNullKeys()
    {
        var format = Parse("""{"a": "%UPSTREAM_HOST%", "b": "%RESPONSE_CODE%", "c": null, "d": "%ROUTE_NAME%", "e": "x%ROUTE_NAME%"}""");
        var context = new FormatContext(new StreamInfo { ResponseCode = 503 }, requestHeaders: null);

        Assert.Equal("{\"b\":503,\"e\":\"x\"}\n", JsonSubstitutionFormatter.Parse(format, "j", omitEmptyValues: true).Format(context));
    }

    [Fact]
    public void NestedStructsAndListsAreSupported()
    {
        var format = Parse("""{"request": {"method": "%REQ(:METHOD)%", "path": "%REQ(:PATH)%"}, "tags": ["%RESPONSE_CODE%", "x"]}""");

        Assert.Equal(
            "{\"request\":{\"method\":\"POST\",\"path\":\"/api/v1/locations\"},\"tags\":[204,\"x\"]}\n",
            JsonSubstitutionFormatter.Parse(format, "j").Format(TestStreams.Context()));
    }

    [Fact]
    public void StringValuesAreEscaped()
    {
        var request = TestStreams.RequestHeaders();
        request["user-agent"] = "a \"quoted\"\\ \t agent";
        var format = Parse("""{"ua": "%REQ(USER-AGENT)%", "both": "<%REQ(USER-AGENT)%>", "k\"ey": "v\nw"}""");

        Assert.Equal(
            "{\"ua\":\"a \\\"quoted\\\"\\\\ \\t agent\",\"both\":\"<a \\\"quoted\\\"\\\\ \\t agent>\",\"k\\\"ey\":\"v\\nw\"}\n",
            JsonSubstitutionFormatter.Parse(format, "j").Format(TestStreams.Context(request: request)));
    }

    [Fact]
    public void UntypedFormatPrintsEveryValueAsAString()
    {
        var format = Parse("""{"status": "%RESPONSE_CODE%", "host": "%UPSTREAM_HOST%"}""");
        var context = new FormatContext(new StreamInfo { ResponseCode = 200 }, requestHeaders: null);

        Assert.Equal("{\"status\":\"200\",\"host\":\"-\"}\n", JsonSubstitutionFormatter.Parse(format, "j", typed: false).Format(context));
    }

    [Fact]
    public void SortPropertiesSortsKeys()
    {
        var config = new SubstitutionFormatString
        {
            JsonFormat = Parse("""{"b": "%RESPONSE_CODE%", "a": "x"}"""),
            JsonFormatOptions = new JsonFormatOptions { SortProperties = true },
        };

        Assert.Equal("{\"a\":\"x\",\"b\":204}\n", SubstitutionFormatStrings.Create(config, "log_format").Format(TestStreams.Context()));
    }

    [Fact]
    public void SubstitutionFormatStringSupportsTextSources()
    {
        var inline = new SubstitutionFormatString { TextFormatSource = new DataSource { InlineString = "%RESPONSE_CODE% %UPSTREAM_HOST%\n" } };
        var bytes = new SubstitutionFormatString { TextFormatSource = new DataSource { InlineBytes = ByteString.CopyFromUtf8("%PROTOCOL%") } };
        var omit = new SubstitutionFormatString { TextFormat = "[%ROUTE_NAME%]", OmitEmptyValues = true };
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from file %RESPONSE_CODE%");
        try
        {
            var fromFile = new SubstitutionFormatString { TextFormatSource = new DataSource { Filename = file } };
            Assert.Equal("from file 204", SubstitutionFormatStrings.Create(fromFile, "l").Format(TestStreams.Context()));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal("204 10.0.2.1:80\n", SubstitutionFormatStrings.Create(inline, "l").Format(TestStreams.Context()));
        Assert.Equal("HTTP/2", SubstitutionFormatStrings.Create(bytes, "l").Format(TestStreams.Context()));
        Assert.Equal("[]", SubstitutionFormatStrings.Create(omit, "l").Format(TestStreams.Context()));
        Assert.Equal("text/plain", SubstitutionFormatStrings.ContentType(inline));
        Assert.Equal("application/json", SubstitutionFormatStrings.ContentType(new SubstitutionFormatString { JsonFormat = new Struct() }));
    }

    [Fact]
    public void ErrorsNameTheJsonKey()
    {
        var format = Parse("""{"outer": {"bad": "%NOPE%"}}""");

        var e = Assert.Throws<ConfigException>(() => JsonSubstitutionFormatter.Parse(format, "log_format.json_format"));
        Assert.Equal("log_format.json_format.outer.bad: Not supported field in StreamInfo: NOPE", e.Message);
    }
}
