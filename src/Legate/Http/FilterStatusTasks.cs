namespace Legate.Http;

/// <summary>Filter outcomes as tasks, for code that returns a filter's task instead of awaiting it.</summary>
internal static class FilterStatusTasks
{
    public static ValueTask<FilterStatus> Stop => new(FilterStatus.StopIteration);

    /// <summary>Stops the chain once a local reply (or any response the filter wrote) has been sent.</summary>
    public static async ValueTask<FilterStatus> StopAfterAsync(Task reply)
    {
        await reply;
        return FilterStatus.StopIteration;
    }
}
