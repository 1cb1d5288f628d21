using System.Text;
using Legate.Upstream.Http.Http1;
using Microsoft.Net.Http.Headers;

namespace Legate.Tests.Upstream.Http1;

/// <summary>Parsing an upstream HTTP/1.x response head: framing, connection reuse, hop-by-hop headers and malformed input.</summary>
public sealed class Http1ResponseHeadTests
{
    [Fact]
    public void Parses_a_normal_head_and_reports_the_bytes_consumed()
    {
        var text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Trace: abc\r\n\r\nhello";
        var head = new Http1ResponseHead();

        Assert.True(head.TryParse(Bytes(text), out var consumed));

        Assert.Equal(text.Length - "hello".Length, consumed);
        Assert.Equal(200, head.Status);
        Assert.False(head.IsHttp10);
        Assert.Equal(5, head.ContentLength);
        Assert.False(head.Chunked);
        Assert.False(head.ConnectionClose);
        Assert.Equal(
            [new("content-type", "text/plain"), new("content-length", "5"), new("x-trace", "abc")],
            Lowered(head));
    }

    [Fact]
    public void Status_line_without_a_reason_phrase_is_accepted()
    {
        var head = Parse("HTTP/1.1 204\r\n\r\n");

        Assert.Equal(204, head.Status);
        Assert.Empty(head.Headers);
    }

    [Fact]
    public void A_head_split_across_reads_is_incomplete_until_the_blank_line_arrives()
    {
        var full = Bytes("HTTP/1.1 404 Not Found\r\nServer: up\r\nContent-Length: 0\r\n\r\n");
        var head = new Http1ResponseHead();

        // Every strict prefix, including one ending between the final CR and LF, is incomplete.
        for (var cut = 0; cut < full.Length; cut++)
        {
            Assert.False(head.TryParse(full.AsSpan(0, cut), out var none), "prefix of " + cut + " bytes parsed");
            Assert.Equal(0, none);
        }
        Assert.True(head.TryParse(full, out var consumed));

        Assert.Equal(full.Length, consumed);
        Assert.Equal(404, head.Status);
        Assert.Equal(0, head.ContentLength);
        Assert.Equal([new("server", "up"), new("content-length", "0")], Lowered(head));
    }

    [Fact]
    public void Lf_only_line_endings_are_accepted()
    {
        var text = "HTTP/1.1 200 OK\nContent-Length: 3\nX-A: 1\n\nabc";
        var head = new Http1ResponseHead();

        Assert.True(head.TryParse(Bytes(text), out var consumed));

        Assert.Equal(text.Length - 3, consumed);
        Assert.Equal(3, head.ContentLength);
        Assert.Equal([new("content-length", "3"), new("x-a", "1")], Lowered(head));
    }

    [Fact]
    public void Http10_without_keep_alive_closes_the_connection()
    {
        var head = Parse("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n");

        Assert.True(head.IsHttp10);
        Assert.True(head.ConnectionClose);
    }

    [Fact]
    public void Http10_with_keep_alive_keeps_the_connection()
    {
        var head = Parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n");

        Assert.True(head.IsHttp10);
        Assert.False(head.ConnectionClose);
    }

    [Theory]
    [InlineData("close")]
    [InlineData("Close")]
    public void Connection_close_closes_the_connection(string value)
    {
        var head = Parse("HTTP/1.1 200 OK\r\nConnection: " + value + "\r\nContent-Length: 0\r\n\r\n");

        Assert.True(head.ConnectionClose);
        Assert.DoesNotContain(head.Headers, h => h.Key.Equals("connection", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Chunked_transfer_encoding_is_framing_not_a_header()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n");

        Assert.True(head.Chunked);
        Assert.Null(head.ContentLength);
        Assert.Equal([new("x-a", "1")], Lowered(head));
    }

    [Fact]
    public void Neither_length_nor_chunked_leaves_the_body_delimited_by_close()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");

        Assert.Null(head.ContentLength);
        Assert.False(head.Chunked);
        Assert.False(head.ConnectionClose);
    }

    [Fact]
    public void Identical_duplicate_content_lengths_are_accepted()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nContent-Length: 7\r\n\r\n");

        Assert.Equal(7, head.ContentLength);
    }

    [Fact]
    public void A_reused_head_forgets_the_previous_responses_framing()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nX-Old: 1\r\n\r\n");

        Assert.True(head.TryParse(Bytes("HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\n"), out _));

        Assert.Equal(201, head.Status);
        Assert.False(head.Chunked);
        Assert.False(head.ConnectionClose);
        Assert.Equal(4, head.ContentLength);
        Assert.Equal([new("content-length", "4")], Lowered(head));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Foo : bar\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length\t: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Foo: bar\r\n continued\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Foo: bar\r\n\tx-bar: folded\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX Foo: bar\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX(Foo): bar\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n")]
    public void Malformed_heads_are_invalid_responses(string text)
    {
        var head = new Http1ResponseHead();

        var e = Assert.Throws<HttpRequestException>(() => head.TryParse(Bytes(text), out _));

        Assert.Equal(HttpRequestError.InvalidResponse, e.HttpRequestError);
    }

    [Fact]
    public void Hop_by_hop_headers_are_not_passed_on()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
            + "Upgrade: h2c\r\nTransfer-Encoding: chunked\r\nX-End: 1\r\n\r\n");

        Assert.Equal([new("x-end", "1")], Lowered(head));
        Assert.True(head.Chunked);
        Assert.False(head.ConnectionClose);
    }

    [Fact]
    public void Header_names_are_lower_cased_or_kestrels_own_and_values_kept_as_sent()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nCONTENT-TYPE: Text/HTML\r\nX-Mixed-Case: AbC  \r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n");

        // Names Kestrel knows are its HeaderNames strings (matched by reference); the rest are lower case.
        Assert.Same(HeaderNames.ContentType, head.Headers[0].Key);
        Assert.Equal("x-mixed-case", head.Headers[1].Key);
        Assert.Same(HeaderNames.SetCookie, head.Headers[3].Key);

        Assert.Equal(
            [new("content-type", "Text/HTML"), new("x-mixed-case", "AbC"), new("set-cookie", "a=1"), new("set-cookie", "b=2")],
            Lowered(head));
    }

    [Fact]
    public void The_same_value_on_the_next_response_reuses_the_string()
    {
        var head = new Http1ResponseHead();
        var response = Bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nServer: envoy\r\nContent-Length: 2\r\n\r\n");

        Assert.True(head.TryParse(response, out _));
        var first = Values(head);
        Assert.True(head.TryParse(response, out _));
        var second = Values(head);

        Assert.Equal(3, first.Length);
        for (var i = 0; i < first.Length; i++)
        {
            Assert.True(ReferenceEquals(first[i].Key, second[i].Key), "name " + first[i].Key + " was allocated again");
            Assert.True(ReferenceEquals(first[i].Value, second[i].Value), "value of " + first[i].Key + " was allocated again");
        }
    }

    [Fact]
    public void A_changed_value_is_not_mistaken_for_the_cached_one()
    {
        var head = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");

        Assert.True(head.TryParse(Bytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"), out _));

        Assert.Equal([new("content-type", "text/html")], Lowered(head));
    }

    private static Http1ResponseHead Parse(string text)
    {
        var head = new Http1ResponseHead();
        var bytes = Bytes(text);
        Assert.True(head.TryParse(bytes, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        return head;
    }

    private static KeyValuePair<string, string>[] Lowered(Http1ResponseHead head) =>
        [.. head.Headers.Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value))];

    private static KeyValuePair<string, string>[] Values(Http1ResponseHead head) => [.. head.Headers];

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);
}
