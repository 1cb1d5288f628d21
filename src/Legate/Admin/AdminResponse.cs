namespace Legate.Admin;

/// <summary>What a handler answers: status, content type and the whole body (admin output is small).</summary>
public sealed class AdminResponse
{
    public const string TextContentType = "text/plain; charset=UTF-8";
    public const string JsonContentType = "application/json";
    public const string HtmlContentType = "text/html; charset=UTF-8";

    public AdminResponse(int statusCode, string contentType, string body)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    public int StatusCode { get; }

    public string ContentType { get; }

    public string Body { get; }

    public static AdminResponse Text(string body, int statusCode = 200) => new(statusCode, TextContentType, body);

    public static AdminResponse Json(string body, int statusCode = 200) => new(statusCode, JsonContentType, body);

    public static AdminResponse Html(string body, int statusCode = 200) => new(statusCode, HtmlContentType, body);

    public static AdminResponse Ok() => Text("OK\n");
}
