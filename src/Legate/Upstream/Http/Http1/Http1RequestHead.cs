using System.Text;
using Microsoft.AspNetCore.Http;

namespace Legate.Upstream.Http.Http1;

/// <summary>How the request body goes upstream.</summary>
internal enum Http1BodyFraming
{
    None,
    ContentLength,
    Chunked,
}

/// <summary>
/// Serialises an upstream HTTP/1.1 request head the way Envoy's codec does: lower-case header names,
/// hop-by-hop headers dropped, Host first, the body framing chosen by the proxy (a downstream chunked
/// or HTTP/2 body of unknown length goes upstream chunked).
/// </summary>
internal static class Http1RequestHead
{
    /// <summary>The size a head buffer starts at; most heads fit.</summary>
    public const int InitialSize = 4096;

    /// <summary>Writes the head into <paramref name="buffer"/>, replacing it with a larger one when it does not fit.</summary>
    /// <returns>The head's length in bytes.</returns>
    public static int Write(ref byte[] buffer, string method, string path, string authority, IHeaderDictionary headers, Http1BodyFraming framing, long contentLength,
        KeyValuePair<string, string> extra1, KeyValuePair<string, string> extra2)
    {
        while (true)
        {
            var writer = new SpanWriter(buffer);
            if (TryWrite(ref writer, method, path, authority, headers, framing, contentLength, extra1, extra2))
            {
                return writer.Position;
            }
            buffer = new byte[buffer.Length * 2];
        }
    }

    private static bool TryWrite(ref SpanWriter w, string method, string path, string authority, IHeaderDictionary headers, Http1BodyFraming framing,
        long contentLength, KeyValuePair<string, string> extra1, KeyValuePair<string, string> extra2)
    {
        if (!(w.Ascii(method) && w.Bytes(" "u8) && w.Latin1(path) && w.Bytes(" HTTP/1.1\r\n"u8)))
        {
            return false;
        }
        if (authority.Length > 0 && !(w.Bytes("host: "u8) && w.Latin1(authority) && w.Bytes("\r\n"u8)))
        {
            return false;
        }
        foreach (var header in headers)
        {
            var name = header.Key;
            if (IsSkipped(name) || (extra1.Key is { } e1 && name.Equals(e1, StringComparison.OrdinalIgnoreCase))
                || (extra2.Key is { } e2 && name.Equals(e2, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            if (name.Length == 2 && name.Equals("te", StringComparison.OrdinalIgnoreCase))
            {
                // Envoy passes TE upstream only as "trailers".
                if (HasTrailers(header.Value) && !w.Bytes("te: trailers\r\n"u8))
                {
                    return false;
                }
                continue;
            }
            foreach (var value in header.Value)
            {
                if (!(w.LowerAscii(name) && w.Bytes(": "u8) && w.Latin1(value ?? string.Empty) && w.Bytes("\r\n"u8)))
                {
                    return false;
                }
            }
        }
        if (!(WriteExtra(ref w, extra1) && WriteExtra(ref w, extra2)))
        {
            return false;
        }
        var framed = framing switch
        {
            Http1BodyFraming.ContentLength => w.Bytes("content-length: "u8) && w.Number(contentLength) && w.Bytes("\r\n"u8),
            Http1BodyFraming.Chunked => w.Bytes("transfer-encoding: chunked\r\n"u8),
            _ => true,
        };
        return framed && w.Bytes("\r\n"u8);
    }

    private static bool HasTrailers(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).AsSpan().Split(','))
            {
                if (value.AsSpan()[part].Trim().Equals("trailers", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool WriteExtra(ref SpanWriter w, KeyValuePair<string, string> extra) =>
        extra.Key is null || (w.LowerAscii(extra.Key) && w.Bytes(": "u8) && w.Latin1(extra.Value) && w.Bytes("\r\n"u8));

    /// <summary>Headers the proxy owns or that are hop by hop (Expect: the proxy answers 100-continue itself).</summary>
    private static bool IsSkipped(string name) => name.Length == 0 || name[0] == ':' || name.Length switch
    {
        4 => name.Equals("host", StringComparison.OrdinalIgnoreCase),
        6 => name.Equals("expect", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("upgrade", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("connection", StringComparison.OrdinalIgnoreCase) || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase),
        14 => name.Equals("content-length", StringComparison.OrdinalIgnoreCase),
        16 => name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase),
        17 => name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Writes into a fixed span; every method returns false once the span is full.</summary>
    private ref struct SpanWriter(Span<byte> span)
    {
        private readonly Span<byte> _span = span;

        public int Position { get; private set; }

        public bool Bytes(ReadOnlySpan<byte> bytes)
        {
            if (!bytes.TryCopyTo(_span[Position..]))
            {
                return false;
            }
            Position += bytes.Length;
            return true;
        }

        public bool Ascii(string text) => Text(text, lower: false);

        public bool LowerAscii(string text) => Text(text, lower: true);

        public bool Latin1(string text)
        {
            if (text.Length > _span.Length - Position)
            {
                return false;
            }
            Position += Encoding.Latin1.GetBytes(text, _span[Position..]);
            return true;
        }

        public bool Number(long value)
        {
            if (!System.Buffers.Text.Utf8Formatter.TryFormat(value, _span[Position..], out var written))
            {
                return false;
            }
            Position += written;
            return true;
        }

        private bool Text(string text, bool lower)
        {
            if (text.Length > _span.Length - Position)
            {
                return false;
            }
            var written = 0;
            if (lower)
            {
                System.Text.Ascii.ToLower(text, _span[Position..], out written);
            }
            else
            {
                System.Text.Ascii.FromUtf16(text, _span[Position..], out written);
            }
            Position += written;
            return written == text.Length || Latin1Rest(text, written);
        }

        // Non-ASCII in a method or header name is not valid HTTP; Latin-1 passes the bytes through as received.
        private bool Latin1Rest(string text, int done)
        {
            Position += Encoding.Latin1.GetBytes(text.AsSpan(done), _span[Position..]);
            return true;
        }
    }
}
