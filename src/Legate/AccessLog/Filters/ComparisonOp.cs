namespace Legate.AccessLog.Filters;

/// <summary><c>ComparisonFilter.Op</c> applied to a stream value and the configured value.</summary>
internal enum ComparisonOp
{
    Equal,
    GreaterOrEqual,
    LessOrEqual,
    NotEqual,
}

internal static class Comparison
{
    public static bool Compare(ComparisonOp op, long actual, long configured) => op switch
    {
        ComparisonOp.Equal => actual == configured,
        ComparisonOp.GreaterOrEqual => actual >= configured,
        ComparisonOp.LessOrEqual => actual <= configured,
        _ => actual != configured,
    };
}
