using Legate.Upstream;

namespace Legate.Tests.Upstream;

public sealed class JitteredBackoffTests
{
    [Fact]
    public void DelaysAreJitteredBelowADoublingIntervalCappedAtTheMaximum()
    {
        var backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(7));
        var interval = 500L;
        for (var i = 0; i < 12; i++)
        {
            var delay = backoff.Next();
            Assert.InRange((long)delay.TotalMilliseconds, 0, interval - 1);
            interval = Math.Min(interval * 2, 30_000);
        }
        Assert.Equal(30_000, interval);
    }

    [Fact]
    public void ResetStartsOverAtTheBase()
    {
        var backoff = new JitteredBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), new Random(1));
        for (var i = 0; i < 10; i++)
        {
            backoff.Next();
        }
        backoff.Reset();
        for (var i = 0; i < 20; i++)
        {
            var fresh = new JitteredBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), new Random(i));
            Assert.InRange(fresh.Next().TotalMilliseconds, 0, 99);
        }
        Assert.InRange(backoff.Next().TotalMilliseconds, 0, 99);
    }

    [Fact]
    public void DefaultsAreEnvoysAndRetryBackOffOverridesThem()
    {
        var defaults = JitteredBackoff.From(null);
        Assert.Equal(TimeSpan.FromMilliseconds(500), defaults.BaseInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.MaxInterval);

        var configured = JitteredBackoff.From(new Envoy.Config.Core.V3.BackoffStrategy
        {
            BaseInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        });
        Assert.Equal(TimeSpan.FromSeconds(1), configured.BaseInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), configured.MaxInterval);
    }
}
