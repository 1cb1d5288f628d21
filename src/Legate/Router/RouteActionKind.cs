namespace Legate.Router;

/// <summary>What a matched route does (Route.action oneof).</summary>
public enum RouteActionKind
{
    /// <summary>Forward to a cluster (route).</summary>
    Route,

    /// <summary>Answer with a redirect (redirect, and require_tls redirects).</summary>
    Redirect,

    /// <summary>Answer with a fixed status and body (direct_response).</summary>
    DirectResponse,

    /// <summary>Match without forwarding (non_forwarding_action); filters act on it.</summary>
    NonForwarding,

    /// <summary>Filter-defined action (filter_action); the router filter treats it as non-forwarding.</summary>
    FilterAction,
}
