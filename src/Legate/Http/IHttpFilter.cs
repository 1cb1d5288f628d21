namespace Legate.Http;

/// <summary>
/// An HTTP filter instance of one connection manager. Instances are shared by all streams of that
/// connection manager, so per-request state lives on <see cref="HttpStream"/>.
/// </summary>
public interface IHttpFilter
{
    /// <summary>Decode path: called with the request headers, in configuration order.</summary>
    ValueTask<FilterStatus> OnRequestAsync(HttpStream stream);

    /// <summary>Encode path: called in reverse order just before response headers are sent.</summary>
    void OnResponseHeaders(HttpStream stream)
    {
    }
}
