namespace Legate.Http;

/// <summary>Cheap checks on Kestrel's interned protocol strings.</summary>
internal static class HttpProtocol
{
    public static bool IsHttp2(string protocol) => ReferenceEquals(protocol, "HTTP/2") || protocol == Microsoft.AspNetCore.Http.HttpProtocol.Http2;

    public static bool IsHttp10(string protocol) => protocol == Microsoft.AspNetCore.Http.HttpProtocol.Http10;
}
