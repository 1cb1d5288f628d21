using System.Diagnostics;
using Legate.Http;

namespace Legate.Tests.Http;

/// <summary>The wall-clock start time a stream reports: derived from its monotonic start unless set.</summary>
public sealed class StreamInfoTests
{
    [Fact]
    public void Start_time_is_derived_from_the_start_timestamp()
    {
        var info = new StreamInfo { StartTimestamp = Stopwatch.GetTimestamp() - (2 * Stopwatch.Frequency) };

        var expected = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(2);

        Assert.InRange(info.StartTime, expected - TimeSpan.FromSeconds(1), expected + TimeSpan.FromSeconds(1));
        // Read once: later reads give the same instant.
        Assert.Equal(info.StartTime, info.StartTime);
    }

    [Fact]
    public void A_start_time_set_explicitly_wins_and_reset_forgets_it()
    {
        var set = new DateTimeOffset(2016, 4, 15, 20, 17, 0, TimeSpan.Zero);
        var info = new StreamInfo { StartTimestamp = Stopwatch.GetTimestamp(), StartTime = set };

        Assert.Equal(set, info.StartTime);

        info.Reset();

        Assert.Equal(default, info.StartTime);
    }
}
