namespace Legate.Http;

/// <summary>What an HTTP filter tells the chain after seeing the request.</summary>
public enum FilterStatus
{
    /// <summary>Pass the request to the next filter.</summary>
    Continue,

    /// <summary>The filter has answered (local reply) or forwarded; stop the chain.</summary>
    StopIteration,
}
