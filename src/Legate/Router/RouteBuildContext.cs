using Legate.Formatting;

namespace Legate.Router;

/// <summary>What <see cref="RouteTable.Build"/> needs from the rest of the server.</summary>
public sealed class RouteBuildContext
{
    /// <summary>
    /// Non-null turns on validate_clusters: a route naming a cluster this returns false for is a config error.
    /// The RouteConfiguration's own validate_clusters=false still switches the check off.
    /// </summary>
    public Func<string, bool>? ClusterExists { get; init; }

    /// <summary>Compiles a header value with %...% operators.</summary>
    public required Func<string, ISubstitutionFormatter> Formatter { get; init; }

    /// <summary>Random source for callers that need one next to the table (mirror fractions); route matching reads RouteRequest.RandomValue.</summary>
    public Func<ulong>? Random { get; init; }
}
