namespace Legate.Tests.Logging;

/// <summary>A clock stopped at one instant, in UTC, so formatted timestamps are predictable.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
