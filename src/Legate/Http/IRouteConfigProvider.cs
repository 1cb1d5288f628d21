using Legate.Router;

namespace Legate.Http;

/// <summary>
/// Where a connection manager gets its route table: an inline route_config never changes; RDS swaps
/// the table atomically. Null until the first RDS response arrives.
/// </summary>
public interface IRouteConfigProvider
{
    RouteTable? Current { get; }

    /// <summary>Completes when the first route config arrived (or RDS gave up waiting); a listener warms until then.</summary>
    Task Initialized { get; }
}

/// <summary>An inline <c>route_config</c>.</summary>
public sealed class StaticRouteConfigProvider(RouteTable table) : IRouteConfigProvider
{
    public RouteTable? Current { get; } = table;

    public Task Initialized => Task.CompletedTask;
}
