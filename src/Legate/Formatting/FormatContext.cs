using Legate.Http;
using Microsoft.AspNetCore.Http;

namespace Legate.Formatting;

/// <summary>What a substitution format string (access log line, header value) can read.</summary>
public readonly struct FormatContext
{
    public FormatContext(StreamInfo streamInfo, IHeaderDictionary? requestHeaders, IHeaderDictionary? responseHeaders = null, IHeaderDictionary? responseTrailers = null)
    {
        StreamInfo = streamInfo;
        RequestHeaders = requestHeaders;
        ResponseHeaders = responseHeaders;
        ResponseTrailers = responseTrailers;
    }

    public StreamInfo StreamInfo { get; }

    /// <summary>Request headers; pseudo headers (:method, :path, :authority, :scheme) come from <see cref="Request"/>.</summary>
    public IHeaderDictionary? RequestHeaders { get; }

    public IHeaderDictionary? ResponseHeaders { get; }

    public IHeaderDictionary? ResponseTrailers { get; }

    /// <summary>Pseudo-header values of the request, when there is one.</summary>
    public RequestLine? Request { get; init; }
}

/// <summary>The request's pseudo headers, captured before any rewrite.</summary>
public sealed record RequestLine(string Method, string Path, string Authority, string Scheme);
