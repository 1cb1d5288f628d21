using Legate.Formatting;

namespace Legate.AccessLog;

/// <summary>Envoy's built-in access log formats.</summary>
public static class AccessLogFormats
{
    /// <summary>The format used when a file/stdout/stderr logger has no <c>log_format</c>.</summary>
    public const string Default =
        "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" " +
        "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% " +
        "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% " +
        "\"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" " +
        "\"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

    private static readonly Lazy<ISubstitutionFormatter> s_default = new(() => SubstitutionFormatter.Parse(Default, string.Empty));

    /// <summary><see cref="Default"/>, compiled once.</summary>
    public static ISubstitutionFormatter DefaultFormatter => s_default.Value;
}
