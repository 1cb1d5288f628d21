using System.Text;
using Legate.Upstream.Http.Http1;
using Microsoft.AspNetCore.Http;

namespace Legate.Tests.Upstream.Http1;

/// <summary>Writing the upstream HTTP/1.1 request head from the downstream request.</summary>
public sealed class Http1RequestHeadTests
{
    private static readonly KeyValuePair<string, string> s_none = default;

    [Fact]
    public void Writes_the_request_line_host_first_and_the_headers()
    {
        var headers = new HeaderDictionary
        {
            ["Accept"] = "*/*",
            ["X-Request-Id"] = "abc",
        };

        var head = Write("GET", "/a/b?c=1", "example.com:8080", headers, Http1BodyFraming.None, 0);

        Assert.Equal("GET /a/b?c=1 HTTP/1.1\r\nhost: example.com:8080\r\naccept: */*\r\nx-request-id: abc\r\n\r\n", head);
    }

    [Fact]
    public void Header_names_are_lower_cased_and_values_kept()
    {
        var headers = new HeaderDictionary { ["X-MiXeD-CaSe"] = "VaLuE", ["USER-AGENT"] = "Curl/8" };

        var head = Write("GET", "/", "h", headers, Http1BodyFraming.None, 0);

        Assert.Contains("\r\nx-mixed-case: VaLuE\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nuser-agent: Curl/8\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("MiXeD", head, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_value_of_a_header_gets_its_own_line()
    {
        var headers = new HeaderDictionary { ["X-Multi"] = new(["a", "b"]) };

        var head = Write("GET", "/", "h", headers, Http1BodyFraming.None, 0);

        Assert.Equal("GET / HTTP/1.1\r\nhost: h\r\nx-multi: a\r\nx-multi: b\r\n\r\n", head);
    }

    [Fact]
    public void Hop_by_hop_and_proxy_owned_headers_are_not_copied()
    {
        var headers = new HeaderDictionary
        {
            ["Connection"] = "keep-alive, x-foo",
            ["Keep-Alive"] = "timeout=5",
            ["Proxy-Connection"] = "keep-alive",
            ["Upgrade"] = "websocket",
            ["TE"] = "gzip",
            ["Expect"] = "100-continue",
            ["Transfer-Encoding"] = "chunked",
            ["Content-Length"] = "99",
            ["Host"] = "downstream.example",
            ["X-Kept"] = "1",
        };

        var head = Write("POST", "/p", "upstream.example", headers, Http1BodyFraming.ContentLength, 12);

        Assert.Equal("POST /p HTTP/1.1\r\nhost: upstream.example\r\nx-kept: 1\r\ncontent-length: 12\r\n\r\n", head);
    }

    [Theory]
    [InlineData("trailers", "te: trailers\r\n")]
    [InlineData("gzip, Trailers", "te: trailers\r\n")]
    [InlineData("gzip", "")]
    public void Te_goes_upstream_only_as_trailers(string te, string expected)
    {
        var headers = new HeaderDictionary { ["TE"] = te };

        var head = Write("GET", "/", "a", headers, Http1BodyFraming.None, 0);

        Assert.Equal("GET / HTTP/1.1\r\nhost: a\r\n" + expected + "\r\n", head);
    }

    [Theory]
    [InlineData(":authority")]
    [InlineData(":method")]
    [InlineData(":scheme")]
    [InlineData(":path")]
    [InlineData(":protocol")]
    public void Pseudo_headers_are_never_written(string name)
    {
        var headers = new HeaderDictionary { [name] = "x", ["X-Kept"] = "1" };

        var head = Write("GET", "/", "h", headers, Http1BodyFraming.None, 0);

        Assert.Equal("GET / HTTP/1.1\r\nhost: h\r\nx-kept: 1\r\n\r\n", head);
    }

    [Fact]
    public void Chunked_framing_writes_transfer_encoding_chunked()
    {
        var head = Write("PUT", "/u", "h", new HeaderDictionary(), Http1BodyFraming.Chunked, 0);

        Assert.Equal("PUT /u HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n", head);
    }

    [Fact]
    public void Content_length_framing_writes_the_proxys_length()
    {
        var head = Write("POST", "/u", "h", new HeaderDictionary { ["Content-Length"] = "5" }, Http1BodyFraming.ContentLength, 1048576);

        Assert.Equal("POST /u HTTP/1.1\r\nhost: h\r\ncontent-length: 1048576\r\n\r\n", head);
    }

    [Fact]
    public void An_empty_authority_writes_no_host_line()
    {
        var head = Write("GET", "/", "", new HeaderDictionary(), Http1BodyFraming.None, 0);

        Assert.Equal("GET / HTTP/1.1\r\n\r\n", head);
    }

    [Fact]
    public void Extra_headers_replace_downstream_headers_of_the_same_name()
    {
        var headers = new HeaderDictionary
        {
            ["X-Envoy-Attempt-Count"] = "7",
            ["x-envoy-is-timeout-retry"] = "maybe",
            ["X-Other"] = "o",
        };

        var head = Write("GET", "/", "h", headers, Http1BodyFraming.None, 0,
            new("x-envoy-attempt-count", "2"), new("X-Envoy-Is-Timeout-Retry", "true"));

        Assert.Equal("GET / HTTP/1.1\r\nhost: h\r\nx-other: o\r\nx-envoy-attempt-count: 2\r\nx-envoy-is-timeout-retry: true\r\n\r\n", head);
    }

    [Fact]
    public void A_head_bigger_than_the_initial_buffer_grows()
    {
        var big = new string('v', 20_000);
        var headers = new HeaderDictionary { ["X-Big"] = big, ["X-After"] = "tail" };

        var head = Write("GET", "/" + new string('p', 3000), "h", headers, Http1BodyFraming.ContentLength, 3);

        Assert.Equal("GET /" + new string('p', 3000) + " HTTP/1.1\r\nhost: h\r\nx-big: " + big + "\r\nx-after: tail\r\ncontent-length: 3\r\n\r\n", head);
    }

    [Fact]
    public void Many_headers_crossing_the_initial_buffer_are_all_written()
    {
        var headers = new HeaderDictionary();
        var expected = new StringBuilder("GET / HTTP/1.1\r\nhost: h\r\n");
        for (var i = 0; i < 300; i++)
        {
            headers["X-H" + i] = "value-" + i;
            expected.Append("x-h").Append(i).Append(": value-").Append(i).Append("\r\n");
        }
        expected.Append("\r\n");

        Assert.Equal(expected.ToString(), Write("GET", "/", "h", headers, Http1BodyFraming.None, 0));
    }

    private static string Write(string method, string path, string authority, IHeaderDictionary headers, Http1BodyFraming framing, long contentLength,
        KeyValuePair<string, string>? extra1 = null, KeyValuePair<string, string>? extra2 = null)
    {
        // Smaller than most heads, so the growth path runs too.
        var buffer = new byte[64];
        var length = Http1RequestHead.Write(ref buffer, method, path, authority, headers, framing, contentLength, extra1 ?? s_none, extra2 ?? s_none);
        return Encoding.Latin1.GetString(buffer, 0, length);
    }
}
