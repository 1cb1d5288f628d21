using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary>
/// <c>grpc_status_filter</c>: the stream's gRPC status (trailers, headers, else mapped from the HTTP status;
/// Unknown when none) is one of the listed ones, or with <c>exclude</c> none of them.
/// </summary>
internal sealed class GrpcStatusFilter : IAccessLogFilter
{
    private readonly bool[] _statuses;
    private readonly bool _exclude;

    public GrpcStatusFilter(bool[] statuses, bool exclude)
    {
        _statuses = statuses;
        _exclude = exclude;
    }

    public bool Evaluate(in FormatContext context)
    {
        var status = GrpcStatusCodes.Resolve(context) ?? GrpcStatusCodes.Unknown;
        var found = status >= 0 && status < _statuses.Length && _statuses[status];
        return found != _exclude;
    }
}
