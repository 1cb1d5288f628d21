using Legate.Extensions.Filters.Http.Router;

namespace Legate.Tests.Router.Retries;

public sealed class RetryBackOffTests
{
    [Fact]
    public void Ceilings_grow_as_two_to_the_n_minus_one_times_base_until_past_the_max()
    {
        var backOff = new RetryBackOff(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250));
        var random = new Random(7);
        long[] expected = [25, 75, 175, 375, 375, 375];
        foreach (var ceiling in expected)
        {
            Assert.Equal(ceiling, backOff.NextCeilingMs);
            backOff.Next(random);
        }
    }

    [Fact]
    public void Waits_are_jittered_below_the_ceiling_and_capped_at_the_max()
    {
        var random = new Random(42);
        for (var run = 0; run < 200; run++)
        {
            var backOff = new RetryBackOff(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250));
            for (var retry = 1; retry <= 8; retry++)
            {
                var ceiling = backOff.NextCeilingMs;
                var wait = backOff.Next(random).TotalMilliseconds;
                Assert.InRange(wait, 0, Math.Min(ceiling - 1, 250));
            }
        }
    }

    [Fact]
    public void Jitter_spreads_over_the_whole_range()
    {
        var random = new Random(1);
        var seenLow = false;
        var seenHigh = false;
        for (var i = 0; i < 500; i++)
        {
            var wait = new RetryBackOff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)).Next(random).TotalMilliseconds;
            seenLow |= wait < 20;
            seenHigh |= wait > 80;
        }
        Assert.True(seenLow && seenHigh);
    }

    [Fact]
    public void Many_retries_do_not_overflow()
    {
        var backOff = new RetryBackOff(TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(30));
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(backOff.Next(random).TotalMilliseconds, 0, 30_000);
        }
    }
}
