using System.Buffers.Text;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Legate.Upstream.Http.Http1;

/// <summary>
/// An upstream response's status line and headers, parsed from the connection's receive buffer.
/// Reused per connection: header names Envoy's responses commonly carry are interned, and a value
/// equal to the one the previous response had under the same name reuses that string, so a
/// keep-alive connection answering alike responses allocates no header strings at all.
/// </summary>
internal sealed class Http1ResponseHead
{
    // The names Kestrel knows are its own HeaderNames strings: Kestrel matches those by reference before comparing
    // text, and writes known names its own way whatever the key's case. The rest are lower case, as Envoy sends
    // header names downstream. The order is the index the parser switches on.
    private static readonly string[] s_knownNames =
    [
        HeaderNames.Date, HeaderNames.Server, HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.Connection,
        HeaderNames.CacheControl, HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.AcceptRanges, HeaderNames.Vary,
        HeaderNames.Expires, HeaderNames.Location, HeaderNames.ContentEncoding, HeaderNames.SetCookie, HeaderNames.TransferEncoding,
        HeaderNames.KeepAlive, "x-powered-by", HeaderNames.AccessControlAllowOrigin, HeaderNames.ContentLanguage, HeaderNames.Age,
        HeaderNames.Pragma, "strict-transport-security", "x-content-type-options", "x-frame-options", HeaderNames.ProxyConnection,
        HeaderNames.Upgrade,
    ];

    private readonly byte[]?[] _lastValueBytes = new byte[]?[s_knownNames.Length];
    private readonly string?[] _lastValues = new string?[s_knownNames.Length];

    public int Status { get; private set; }

    /// <summary>HTTP/1.0 responses close the connection unless they say keep-alive.</summary>
    public bool IsHttp10 { get; private set; }

    public long? ContentLength { get; private set; }

    public bool Chunked { get; private set; }

    /// <summary>The upstream will close after this response (Connection: close, or HTTP/1.0 without keep-alive).</summary>
    public bool ConnectionClose { get; private set; }

    /// <summary>End-to-end headers to pass downstream (hop-by-hop ones are consumed here).</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>
    /// Parses a complete head from <paramref name="buffer"/>. False when the head is not complete yet;
    /// throws HttpRequestException (invalid response) for malformed input.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> buffer, out int consumed)
    {
        consumed = 0;
        var end = FindHeadEnd(buffer);
        if (end < 0)
        {
            return false;
        }
        consumed = end;
        Headers.Clear();
        ContentLength = null;
        Chunked = false;
        ConnectionClose = false;
        var head = buffer[..end];
        var lineEnd = head.IndexOf((byte)'\n');
        ParseStatusLine(TrimCr(head[..lineEnd]));
        var keepAlive10 = false;
        head = head[(lineEnd + 1)..];
        while (true)
        {
            lineEnd = head.IndexOf((byte)'\n');
            var line = TrimCr(head[..lineEnd]);
            head = head[(lineEnd + 1)..];
            if (line.IsEmpty)
            {
                break;
            }
            ParseHeaderLine(line, ref keepAlive10);
        }
        if (IsHttp10 && !keepAlive10)
        {
            ConnectionClose = true;
        }
        return true;
    }

    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var used) || used != 3 || status < 100
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw Invalid("malformed status line");
        }
        IsHttp10 = line[7] == (byte)'0';
        Status = status;
    }

    private void ParseHeaderLine(ReadOnlySpan<byte> line, ref bool keepAlive10)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw Invalid(line[0] is (byte)' ' or (byte)'\t' ? "obsolete line folding" : "header line without a colon");
        }
        var name = line[..colon];
        if (name[^1] is (byte)' ' or (byte)'\t')
        {
            throw Invalid("whitespace before a header colon");
        }
        var value = line[(colon + 1)..].Trim(" \t"u8);
        var known = KnownIndex(name);
        switch (known)
        {
            case 3: // content-length
                if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                    || (ContentLength is { } previous && previous != length))
                {
                    throw Invalid("bad content-length");
                }
                ContentLength = length;
                break;
            case 4: // connection
                if (Ascii.EqualsIgnoreCase(value, "close"u8))
                {
                    ConnectionClose = true;
                }
                else if (Ascii.EqualsIgnoreCase(value, "keep-alive"u8))
                {
                    keepAlive10 = true;
                }
                return;
            case 14: // transfer-encoding
                if (!Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    throw Invalid("unsupported transfer-encoding");
                }
                Chunked = true;
                return;
            case 15 or 24 or 25: // keep-alive, proxy-connection, upgrade: hop by hop
                return;
        }
        var nameText = known >= 0 ? s_knownNames[known] : LowerCase(name);
        Headers.Add(new(nameText, known >= 0 ? CachedValue(known, value) : Encoding.Latin1.GetString(value)));
    }

    private string CachedValue(int known, ReadOnlySpan<byte> value)
    {
        if (_lastValueBytes[known] is { } last && value.SequenceEqual(last))
        {
            return _lastValues[known]!;
        }
        var text = Encoding.Latin1.GetString(value);
        _lastValueBytes[known] = value.ToArray();
        _lastValues[known] = text;
        return text;
    }

    private static int KnownIndex(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < s_knownNames.Length; i++)
        {
            var known = s_knownNames[i];
            if (known.Length == name.Length && Ascii.EqualsIgnoreCase(name, known))
            {
                return i;
            }
        }
        return -1;
    }

    private static string LowerCase(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is <= 32 or >= 127 or (byte)'"' or (byte)'(' or (byte)')' or (byte)',' or (byte)'/' or (byte)';' or (byte)'<'
                or (byte)'=' or (byte)'>' or (byte)'?' or (byte)'@' or (byte)'[' or (byte)'\\' or (byte)']' or (byte)'{' or (byte)'}')
            {
                throw Invalid("invalid header name character");
            }
        }
        return string.Create(name.Length, name.ToArray(), static (chars, bytes) => Ascii.ToLower(bytes, chars, out _));
    }

    /// <summary>Index just past the blank line ending the head, or -1 when it has not arrived yet.</summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> buffer)
    {
        var offset = 0;
        while (true)
        {
            var newline = buffer[offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }
            var next = offset + newline + 1;
            if (next < buffer.Length && buffer[next] == (byte)'\n')
            {
                return next + 1;
            }
            if (next + 1 < buffer.Length && buffer[next] == (byte)'\r' && buffer[next + 1] == (byte)'\n')
            {
                return next + 2;
            }
            if (next + 1 >= buffer.Length)
            {
                return -1;
            }
            offset = next;
        }
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    public static HttpRequestException Invalid(string detail) =>
        new(HttpRequestError.InvalidResponse, "invalid upstream HTTP/1.1 response: " + detail);
}
