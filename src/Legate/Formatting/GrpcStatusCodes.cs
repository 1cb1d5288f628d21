using System.Globalization;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>
/// The gRPC status of a finished stream as Envoy derives it for access logs: grpc-status from the trailers,
/// else from the headers (trailers-only responses), else inferred from the HTTP status. -1 = unparseable.
/// </summary>
internal static class GrpcStatusCodes
{
    public const int Unknown = 2;
    public const int InvalidCode = -1;

    private static readonly string[] s_camel =
    [
        "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied",
        "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable",
        "DataLoss", "Unauthenticated",
    ];

    private static readonly string[] s_snake =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
        "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>Envoy's CamelCase name (<c>PermissionDenied</c>), or null for codes outside 0..16.</summary>
    public static string? CamelName(long code) => code is >= 0 and <= 16 ? s_camel[code] : null;

    /// <summary>absl's SNAKE_CASE name (<c>PERMISSION_DENIED</c>), or null for codes outside 0..16.</summary>
    public static string? SnakeName(long code) => code is >= 0 and <= 16 ? s_snake[code] : null;

    /// <summary>content-type application/grpc, application/grpc+proto, application/grpc;...</summary>
    public static bool IsGrpcRequest(in FormatContext context)
    {
        var contentType = HeaderLookup.First(context.RequestHeaders, "content-type");
        if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.Ordinal))
        {
            return false;
        }
        return contentType.Length == 16 || contentType[16] == '+' || contentType[16] == ';';
    }

    public static long? Resolve(in FormatContext context)
    {
        var value = HeaderLookup.First(context.ResponseTrailers, "grpc-status");
        if (string.IsNullOrEmpty(value))
        {
            value = HeaderLookup.First(context.ResponseHeaders, "grpc-status");
        }
        if (!string.IsNullOrEmpty(value))
        {
            return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code <= int.MaxValue
                ? (long)code
                : InvalidCode;
        }
        var status = context.StreamInfo.ResponseCode;
        return status == 0 ? null : FromHttpStatus(status);
    }

    /// <summary>The gRPC spec's HTTP-to-gRPC status mapping.</summary>
    public static int FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => 13,
        401 => 16,
        403 => 7,
        404 => 12,
        429 or 502 or 503 or 504 => 14,
        _ => Unknown,
    };
}
